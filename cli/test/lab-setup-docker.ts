import type { TestProject } from 'vitest/node';
import { startTestLab } from './lab-global-setup.js';

/** The same integration suite on the Docker runtime, with the locally built images. */
export default (project: TestProject) => startTestLab(project, 'docker');

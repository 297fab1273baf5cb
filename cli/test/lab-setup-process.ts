import type { TestProject } from 'vitest/node';
import { startTestLab } from './lab-global-setup.js';

/** The integration suite on the process runtime. */
export default (project: TestProject) => startTestLab(project, 'process');

import type { TestProject } from 'vitest/node';
import { ensureDockerEngine } from './docker-engine-for-tests.js';
import { startTestLab } from './lab-global-setup.js';

/** The same integration suite on the Docker runtime, with the locally built images. */
export default async (project: TestProject) => {
  const stopEngine = await ensureDockerEngine();
  try {
    const teardownLab = await startTestLab(project, 'docker');
    return async () => {
      try {
        await teardownLab();
      } finally {
        await stopEngine();
      }
    };
  } catch (err) {
    await stopEngine();
    throw err;
  }
};

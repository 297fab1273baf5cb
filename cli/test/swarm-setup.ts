import { ensureDockerEngine } from './docker-engine-for-tests.js';

/**
 * The Swarm test's run: an Engine, and no lab of the harness's own (the test brings up its own on
 * a swarm it makes). It runs after every other Docker test, on purpose: making and leaving a swarm
 * on an Engine broke the connections between the containers of a Docker lab already running on it
 * (in a CI run, the queue and tracing tests after it timed out connecting worker to suggestion).
 */
export default async () => {
  const stopEngine = await ensureDockerEngine();
  return async () => {
    await stopEngine();
  };
};

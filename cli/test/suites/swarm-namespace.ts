import type Docker from 'dockerode';
import { copyLabImages } from '../copy-lab-images.js';
import { startNetnsEngine } from '../netns-engine.js';

/** Set by the test run for the swarm tests, which refuse to make a swarm on any other Engine. */
export const OWN_ENGINE_ENV = 'W2MEET_TEST_OWN_ENGINE';
/** The namespace, its folders and its Engine's hostname (what `docker info` calls its Name). */
export const SWARM_ENGINE_NAME = 'w2meet-swarm-it';

export interface SwarmNamespace {
  netns: string;
  /** What the swarm tests run with inside the namespace: its Engine as DOCKER_HOST. */
  env: NodeJS.ProcessEnv;
  stop: () => Promise<void>;
}

/**
 * The Engine the one-node swarm tests make their swarm on: a second Engine in a network namespace
 * of its own (netns-engine.ts), with the lab's images copied from the main one. The tests run
 * inside that namespace, so the lab's 127.0.0.1 is theirs, and the user's Engine never joins a
 * swarm or sees the tests' labs. `stop` removes it with all it held.
 */
export async function startSwarmNamespace(main: Docker, say: (line: string) => void): Promise<SwarmNamespace> {
  const engine = await startNetnsEngine({ name: SWARM_ENGINE_NAME, subnet: '10.213.9' });
  try {
    const started = performance.now();
    const images = await copyLabImages(main, engine.socket);
    say(`copied ${images.length} images to the swarm tests' Engine in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    const env = { ...process.env, DOCKER_HOST: `unix://${engine.socket}`, [OWN_ENGINE_ENV]: '1' };
    return { netns: engine.netns, env, stop: engine.stop };
  } catch (err) {
    await engine.stop();
    throw err;
  }
}

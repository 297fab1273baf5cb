import { dockerClient, pingDocker } from '../src/lab/docker/engine.js';
import { OWN_ENGINE_ENV, SWARM_ENGINE_NAME } from './suites/swarm-namespace.js';

/**
 * The one-node swarm tests' run: they make a swarm, which no test may do on the user's Engine
 * (making and leaving one broke the connections of a Docker lab running on it). `npm run test:all`
 * runs them inside a network namespace with an Engine of their own (suites/swarm-namespace.ts);
 * anywhere else they refuse to start.
 */
export default async () => {
  if (process.env[OWN_ENGINE_ENV] !== '1')
    throw new Error(
      'the swarm tests make a swarm, so they run only on an Engine of their own: run them with `npm run test:all`, which starts one in a network namespace',
    );
  const docker = dockerClient();
  if (!(await pingDocker(docker)))
    throw new Error(`the swarm tests' own Engine does not answer at ${process.env.DOCKER_HOST ?? 'the default socket'}`);
  // The variable alone is not enough: the Engine must be the namespace's own, named after it.
  const { Name } = (await docker.info()) as { Name?: string };
  if (Name !== SWARM_ENGINE_NAME) throw new Error(`the swarm tests run only on the Engine named ${SWARM_ENGINE_NAME}, not on ${Name}`);
};

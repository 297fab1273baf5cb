import { dockerClient } from '../docker/engine.js';
import { dockerodeEngine } from '../docker/engine-client.js';
import { ComposeProjectRuntime } from './compose-project-runtime.js';

/** The runtime of a compose project on the Engine at DOCKER_HOST (or the default socket). */
export function composeProjectRuntime(project: string, file?: string, env: NodeJS.ProcessEnv = process.env): ComposeProjectRuntime {
  return new ComposeProjectRuntime({ engine: dockerodeEngine(dockerClient(env), env), project, file, compose: { env } });
}

/** Throws the clear "no Engine answers" error, saying how to start one, before a project is looked for. */
export async function requireEngine(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  await dockerodeEngine(dockerClient(env), env).requireReachable();
}

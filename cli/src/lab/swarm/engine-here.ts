import { PrerequisiteError } from '../../errors.js';

/**
 * Whether the Engine at DOCKER_HOST runs on this machine: its socket, or TCP on a loopback
 * address. A swarm lab is reached from the node w2meet talks to: its probes reach that node's
 * tasks on Docker's gateway bridge, and its gateway is published on that node's 127.0.0.1, neither
 * of which another machine reaches.
 */
export function engineOnThisMachine(env: NodeJS.ProcessEnv): boolean {
  const host = env.DOCKER_HOST;
  if (!host || host.startsWith('unix://') || host.startsWith('npipe://')) return true;
  try {
    const { hostname } = new URL(host);
    return hostname === 'localhost' || hostname === '[::1]' || hostname === '0.0.0.0' || /^127\./.test(hostname);
  } catch {
    return false;
  }
}

/** Refuses to make a swarm lab through an Engine of another machine, and says how to run it instead. */
export function requireEngineOnThisMachine(env: NodeJS.ProcessEnv): void {
  if (engineOnThisMachine(env)) return;
  throw new PrerequisiteError(
    `DOCKER_HOST=${env.DOCKER_HOST} is an Engine of another machine: w2meet reaches a swarm lab from the node it talks to (its probes reach that node's tasks, its gateway is published on that node's 127.0.0.1)`,
    'run w2meet on a manager of the swarm (ssh there, DOCKER_HOST unset), and reach the gateway from here through ssh: `ssh -L PORT:127.0.0.1:PORT manager`',
  );
}

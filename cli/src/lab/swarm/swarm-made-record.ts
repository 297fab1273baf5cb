import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stateRoot } from '../../shared/paths.js';

/** Where `swarm init` keeps the id of the swarm it made: `swarm leave` leaves that one and no other. */
const recordPath = (env: NodeJS.ProcessEnv) => join(stateRoot(env), 'swarm-made.json');

export async function rememberSwarmMade(clusterId: string, env: NodeJS.ProcessEnv): Promise<void> {
  await mkdir(stateRoot(env), { recursive: true });
  await writeFile(recordPath(env), `${JSON.stringify({ clusterId })}\n`, { mode: 0o600 });
}

/** Whether w2meet made the swarm of this id (an older record, of a swarm since left, does not count). */
export async function madeThisSwarm(clusterId: string, env: NodeJS.ProcessEnv): Promise<boolean> {
  try {
    return (JSON.parse(await readFile(recordPath(env), 'utf8')) as { clusterId?: string }).clusterId === clusterId;
  } catch {
    return false;
  }
}

export async function forgetSwarmMade(env: NodeJS.ProcessEnv): Promise<void> {
  await rm(recordPath(env), { force: true });
}

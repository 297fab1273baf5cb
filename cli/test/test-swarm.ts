import type { SwarmEngine } from '../src/lab/swarm/swarm-engine.js';
import { runCli } from './run-cli.js';

/**
 * A one-node swarm of the test Engine for a test file: made with `w2meet swarm init` when the
 * Engine is in none. Resolves with what leaves it again, only if made here (a swarm that was
 * there before is left as it was).
 */
export async function joinTestSwarm(swarm: SwarmEngine): Promise<() => Promise<void>> {
  if ((await swarm.localState()).state === 'active') return async () => {};
  const init = await runCli(['swarm', 'init']);
  if (init.code !== 0) throw new Error(`w2meet swarm init failed (${init.code}): ${init.stderr}`);
  return async () => {
    await swarm.leave().catch(() => {});
  };
}

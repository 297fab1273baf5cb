import type { Health, InstanceState } from '../runtime.js';

/** Docker's container state as the runtime interface names it. */
export function stateOf(s: { Status?: string; Paused?: boolean; Running?: boolean }): InstanceState {
  if (s.Paused) return 'paused';
  if (s.Running) return 'running';
  return s.Status === 'exited' || s.Status === 'dead' ? 'exited' : 'stopped';
}

/** The Engine's own health status (its checks run every 30 s): only for when w2meet cannot probe. */
export function healthOf(s: { Running?: boolean; Health?: { Status?: string } }): Health {
  if (!s.Running) return 'unknown';
  const h = s.Health?.Status;
  return h === 'healthy' ? 'healthy' : h === 'starting' ? 'starting' : h === 'unhealthy' ? 'unhealthy' : 'unknown';
}

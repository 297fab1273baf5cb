import { LabStartError } from '../../errors.js';
import { stateOf } from '../docker/container-state.js';
import { containerLogTail } from '../docker/docker-logs.js';
import type { EngineClient } from '../docker/engine-client.js';
import { hasHealthcheck } from './compose-instances.js';

/** How a started container of someone else's is waited for. */
export interface StartWait {
  /** Without a healthcheck, how long it must run without exiting to count as started. @default 1000 */
  settleMs?: number;
  /** @default 60000 */
  timeoutMs?: number;
  /** How often the Engine is asked. @default 250 */
  pollMs?: number;
}

const LOG_LINES = 15;

/**
 * Waits until a container just started is up as far as w2meet can tell: healthy by its own
 * healthcheck when it has one, else running for `settleMs` without exiting (what w2meet cannot
 * probe, it can at least see stay up). One that exits, or is not up in time, fails with its log.
 */
export async function waitStarted(engine: EngineClient, containerId: string, id: string, wait: StartWait = {}): Promise<void> {
  const { settleMs = 1000, timeoutMs = 60_000, pollMs = 250 } = wait;
  const deadline = Date.now() + timeoutMs;
  let runningSince: number | null = null;
  let health = 'none';
  for (;;) {
    const info = await engine.inspect(containerId);
    const state = stateOf(info.State);
    if (state === 'exited' || state === 'stopped') {
      throw await failure(engine, containerId, `${id} exited (code ${info.State.ExitCode}) while it was starting`);
    }
    if (state === 'running') {
      if (hasHealthcheck(info)) {
        health = info.State.Health?.Status ?? 'starting';
        if (health === 'healthy') return;
      } else {
        runningSince ??= Date.now();
        if (Date.now() - runningSince >= settleMs) return;
      }
    }
    if (Date.now() >= deadline) {
      const why = health === 'none' ? `is ${state}` : `is still ${health} by its healthcheck`;
      throw await failure(engine, containerId, `${id} ${why} after ${Math.round(timeoutMs / 1000)} s`);
    }
    await new Promise((r) => setTimeout(r, pollMs));
  }
}

async function failure(engine: EngineClient, containerId: string, message: string): Promise<LabStartError> {
  const tail = await containerLogTail(engine, containerId, LOG_LINES);
  return new LabStartError(
    `${message}\n--- last lines of its log ---\n${tail}`,
    `see its whole log with \`docker logs ${containerId.slice(0, 12)}\``,
  );
}

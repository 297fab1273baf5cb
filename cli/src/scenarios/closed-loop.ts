import type { Clock } from './clock.js';

export interface ClosedLoopOptions {
  connections: number;
  /** Stop after this many sends in all, or at this time, whichever comes first. */
  total?: number;
  durationUs?: number;
  clock: Clock;
  send: (startUs: number, index: number) => Promise<void>;
  signal?: AbortSignal;
}

/**
 * A closed-loop sender: each connection sends its next request as soon as the last one answered,
 * as autocannon and most benchmarks do. It measures throughput; its latencies hide stalls (the
 * open loop is the one to trust for those).
 */
export async function runClosedLoop(options: ClosedLoopOptions): Promise<{ sent: number }> {
  const { connections, total = Infinity, durationUs, clock, send, signal } = options;
  // The schema asks a load step for count or duration_ms: a bug if hit.
  if (total === Infinity && durationUs === undefined) throw new Error('a closed loop needs a count or a duration');
  const end = durationUs === undefined ? Infinity : clock.nowUs() + durationUs;
  let next = 0;
  const worker = async () => {
    while (next < total && clock.nowUs() < end && !signal?.aborted) {
      const index = next++;
      await send(clock.nowUs(), index).catch(() => {});
    }
  };
  await Promise.all(Array.from({ length: connections }, worker));
  return { sent: next };
}

import type { Clock } from './clock.js';

export interface OpenLoopOptions {
  /** Sends started per second. */
  rate: number;
  /** How many sends to schedule in all. */
  total: number;
  /** Sends in flight beyond which a scheduled send is dropped rather than delayed. */
  maxInFlight: number;
  clock: Clock;
  /** Performs one send; `intendedUs` is when the schedule wanted it to start. */
  send: (intendedUs: number, index: number) => Promise<void>;
  /** Told of each send that was dropped, so a caller can count it where it belongs. */
  onDropped?: (intendedUs: number, index: number) => void;
  signal?: AbortSignal;
}

export interface OpenLoopResult {
  sent: number;
  dropped: number;
  /** Sends whose callback threw (a bug or an answer it could not read): counted, never lost. */
  errors: number;
  /** The first few of those errors' messages. */
  errorMessages: string[];
  /** How far behind its schedule the sender fell at worst, in microseconds. */
  maxLagUs: number;
}

/**
 * An open-loop sender (constant arrival rate, as k6 and wrk2 do it): send i is due at
 * start + i / rate whatever earlier sends are doing, and callers time each one from that intended
 * moment, so a stalled server shows up as latency instead of as fewer, slower sends (coordinated
 * omission). A send that finds `maxInFlight` sends still open is dropped and counted.
 */
export async function runOpenLoop(options: OpenLoopOptions): Promise<OpenLoopResult> {
  const { rate, total, maxInFlight, clock, send, signal } = options;
  const intervalUs = 1e6 / rate;
  const start = clock.nowUs();
  const open = new Set<Promise<void>>();
  let sent = 0;
  let dropped = 0;
  let maxLagUs = 0;
  let errors = 0;
  const errorMessages: string[] = [];
  const failed = (err: unknown) => {
    errors++;
    if (errorMessages.length < 3) errorMessages.push((err as Error)?.message ?? String(err));
  };
  for (let i = 0; i < total; i++) {
    if (signal?.aborted) break;
    const intended = start + i * intervalUs;
    await clock.sleepUntilUs(intended);
    maxLagUs = Math.max(maxLagUs, clock.nowUs() - intended);
    if (open.size >= maxInFlight) {
      dropped++;
      options.onDropped?.(intended, i);
      continue;
    }
    sent++;
    let p: Promise<void>;
    try {
      p = send(intended, i)
        .catch(failed)
        .finally(() => open.delete(p));
    } catch (err) {
      // A callback that throws before it returns its promise.
      failed(err);
      continue;
    }
    open.add(p);
  }
  await Promise.all(open);
  return { sent, dropped, errors, errorMessages, maxLagUs };
}

/**
 * Delays for reconnecting to a dependency that went away: exponential from `initialMs`, capped at
 * `maxMs`, with jitter so replicas do not reconnect in lockstep.
 */
export function backoffDelay(attempt: number, initialMs = 100, maxMs = 5000, random = Math.random): number {
  const base = Math.min(maxMs, initialMs * 2 ** Math.max(0, attempt));
  return Math.round(base / 2 + (random() * base) / 2);
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

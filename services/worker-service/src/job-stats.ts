/** Counters behind GET /stats; they live as long as the process. */
export class JobStats {
  published = 0;
  processed = 0;
  failed = 0;
  redelivered = 0;
  retried = 0;
  /** Jobs handed back to the queue because their completion could not be confirmed. */
  givenBack = 0;
  inFlight = 0;
  /** When a job in hand was last acknowledged or given back (ms since the epoch). */
  lastSettledAt = Date.now();

  /**
   * Jobs are in hand and none has been settled for `ms`: the consumer is stuck, whatever its
   * connection says. Each job is bounded in time (upstream and publish timeouts, retries with a
   * backoff under a few seconds), so a long silence means something holds them.
   */
  stalledFor(ms: number, now = Date.now()): boolean {
    return this.inFlight > 0 && now - this.lastSettledAt > ms;
  }

  snapshot() {
    return {
      published: this.published,
      processed: this.processed,
      failed: this.failed,
      redelivered: this.redelivered,
      retried: this.retried,
      given_back: this.givenBack,
      in_flight: this.inFlight,
    };
  }
}

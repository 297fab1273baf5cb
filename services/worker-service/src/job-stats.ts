/** Counters behind GET /stats; they live as long as the process. */
export class JobStats {
  published = 0;
  processed = 0;
  failed = 0;
  redelivered = 0;
  retried = 0;
  inFlight = 0;

  snapshot() {
    return {
      published: this.published,
      processed: this.processed,
      failed: this.failed,
      redelivered: this.redelivered,
      retried: this.retried,
      in_flight: this.inFlight,
    };
  }
}

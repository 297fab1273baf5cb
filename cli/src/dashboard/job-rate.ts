/**
 * Jobs completed per second across the worker's replicas. Each replica counts its own jobs since it
 * started, and the gateway hands `/worker/stats` to whichever replica is next: a difference between
 * two readings is a rate only when both came from the same replica. So each replica's counter is
 * kept apart, and the rate is the sum of the replicas' own rates.
 */
export class JobRate {
  private readonly last = new Map<string, { at: number; count: number }>();
  private readonly rates = new Map<string, number>();

  /**
   * Takes one reading per replica reached (`counts`: replica → jobs settled since it started) and
   * returns jobs per second over the replicas, or null before any replica was read twice.
   */
  update(now: number, counts: Record<string, number>): number | null {
    for (const instance of [...this.rates.keys()]) if (!(instance in counts)) this.rates.delete(instance);
    for (const [instance, count] of Object.entries(counts)) {
      const before = this.last.get(instance);
      this.last.set(instance, { at: now, count });
      // A counter that went back is a replica that restarted: no rate until it is read again.
      if (!before || count < before.count || now <= before.at) this.rates.delete(instance);
      else this.rates.set(instance, ((count - before.count) * 1000) / (now - before.at));
    }
    return this.rates.size ? [...this.rates.values()].reduce((a, b) => a + b, 0) : null;
  }
}

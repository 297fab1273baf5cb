/**
 * Collects the parts of a request's time (Redis, Postgres, downstream calls, cache outcome) so the
 * response can carry them in one Server-Timing header beside the handler's own time.
 */
export class ServerTiming {
  private readonly entries: string[] = [];

  /** Records a duration in milliseconds under a metric name such as `redis` or `db`. */
  add(name: string, ms: number, description?: string): void {
    const desc = description ? `;desc="${description}"` : '';
    this.entries.push(`${name};dur=${ms.toFixed(3)}${desc}`);
  }

  /** Records an outcome with no duration, such as the cache result. */
  mark(name: string, description: string): void {
    this.entries.push(`${name};desc="${description}"`);
  }

  /** Times an async call and records it, whether it resolves or throws. */
  async time<T>(name: string, work: () => Promise<T>): Promise<T> {
    const start = process.hrtime.bigint();
    try {
      return await work();
    } finally {
      this.add(name, Number(process.hrtime.bigint() - start) / 1e6);
    }
  }

  header(appMs: number): string {
    return [`app;dur=${appMs.toFixed(3)}`, ...this.entries].join(', ');
  }
}

/** Parses a Server-Timing header into metric name -> duration (ms) and description. */
export function parseServerTiming(header: string | undefined): Map<string, { dur?: number; desc?: string }> {
  const out = new Map<string, { dur?: number; desc?: string }>();
  if (!header) return out;
  for (const part of header.split(',')) {
    const [name, ...params] = part.trim().split(';');
    if (!name) continue;
    const entry: { dur?: number; desc?: string } = {};
    for (const p of params) {
      const [k, v] = p.trim().split('=');
      if (k === 'dur' && v !== undefined) entry.dur = Number(v);
      if (k === 'desc' && v !== undefined) entry.desc = v.replace(/^"|"$/g, '');
    }
    out.set(name, entry);
  }
  return out;
}

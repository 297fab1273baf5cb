import type { Clock } from '../clock.js';
import type { HttpTarget } from '../http-exchange.js';

const EVERY_MS = 250;

/** queue_depth from a /stats answer, or null when the answer is not that. */
export function readDepth(text: string): number | null {
  try {
    const depth = (JSON.parse(text) as { queue_depth?: unknown } | null)?.queue_depth;
    return typeof depth === 'number' ? depth : null;
  } catch {
    return null;
  }
}

/**
 * Reads the queue's depth from the worker's /stats four times a second during a burst, with the
 * completions counted so far, for the depth-and-drain chart and the "deep queue" latency.
 */
export class DepthSampler {
  depth = 0;
  maxDepth = 0;
  /** Samples that could not be read (no answer, or not the JSON /stats answers): counted, not fatal. */
  unreadable = 0;
  private readonly depths: Array<[number, number]> = [];
  private readonly completions: Array<[number, number]> = [];
  private timer: NodeJS.Timeout | null = null;
  private busy = false;

  constructor(
    private readonly http: HttpTarget,
    private readonly clock: Clock,
    private readonly completed: () => number,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.sample(), EVERY_MS);
  }

  private async sample(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    // It runs on a timer: anything it throws would be an unhandled rejection that ends the run.
    try {
      const ex = await this.http.send({ method: 'GET', path: '/worker/stats', headers: {} });
      const at = this.clock.nowUs();
      this.completions.push([at, this.completed()]);
      const depth = ex.status === 200 ? readDepth(ex.text) : null;
      if (depth === null) {
        this.unreadable++;
        return;
      }
      this.depth = depth;
      this.maxDepth = Math.max(this.maxDepth, depth);
      this.depths.push([at, depth]);
    } catch {
      this.unreadable++;
    } finally {
      this.busy = false;
    }
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Both series in ms since `startUs`. */
  series(startUs: number): Record<string, Array<[number, number]>> {
    const rel = (list: Array<[number, number]>) => list.map(([t, v]) => [Math.round((t - startUs) / 1000), v] as [number, number]);
    return { queue_depth: rel(this.depths), completed: rel(this.completions) };
  }
}

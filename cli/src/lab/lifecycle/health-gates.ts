import { componentFor } from '../components/catalogue.js';
import type { ComponentName } from '../spec.js';

/**
 * Each instance's start, as the others' health waits see it. A service's /health asks about the
 * service it calls (availability's about user-service, suggestion's about availability), and the
 * services start together; so, without this, a service's start limit would run out while the chain
 * below it (Postgres, then user-service) was still coming up on a slow machine. An instance's limit
 * counts from when what its health check asks about has become healthy, or failed to; it is probed
 * from its start all the same, so that one that dies is reported at once.
 */
export class HealthGates {
  private readonly settled = new Map<string, Promise<void>>();
  private readonly settle = new Map<string, () => void>();

  constructor(private readonly instances: ReadonlyArray<{ id: string; name: ComponentName }>) {
    for (const i of instances) this.settled.set(i.id, new Promise<void>((resolve) => this.settle.set(i.id, resolve)));
  }

  /** Its start is over, healthy or not. */
  done(id: string): void {
    this.settle.get(id)?.();
  }

  /** Resolves once every instance its health check asks about is done, or at once on the abort. */
  async before(instance: { name: ComponentName }, signal: AbortSignal): Promise<void> {
    const names = componentFor(instance.name).healthAfter ?? [];
    const waits = this.instances.filter((i) => names.includes(i.name)).map((i) => this.settled.get(i.id)!);
    if (!waits.length || signal.aborted) return;
    await new Promise<void>((resolve) => {
      const onAbort = () => resolve();
      signal.addEventListener('abort', onAbort, { once: true });
      // Removed once open: with many replicas, listeners left on the one signal would pile up.
      Promise.all(waits).then(() => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      });
    });
  }
}

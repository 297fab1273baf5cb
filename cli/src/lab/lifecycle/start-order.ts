/**
 * Starts a set of components in dependency order, each as soon as what it waits for is ready (not in
 * fixed tiers), so independent chains start in parallel and the total time is the longest chain.
 * Two kinds of wait, as docker compose has them: `dependsOn` waits until each is healthy (what a
 * component needs to boot: its database, its broker), `startsAfter` only until each has started
 * (what must exist but need not answer yet: the gateway's upstreams, whose names nginx resolves).
 * A failure is rethrown once every started task has settled; tasks should check the caller's abort
 * signal so that the rest settle quickly.
 */
export interface Startable {
  id: string;
  dependsOn: string[];
  startsAfter?: string[];
}

/**
 * Starts one item and resolves once it is healthy; it calls `started` as soon as its process or
 * container runs, which releases whatever only starts after it.
 */
export type StartTask<T> = (item: T, started: () => void) => Promise<void>;

interface Launched {
  started: Promise<void>;
  healthy: Promise<void>;
}

/** `failed` is aborted at the first failure, so the tasks still running can stop early. */
export async function startInOrder<T extends Startable>(
  items: T[],
  start: StartTask<T>,
  failed: AbortController = new AbortController(),
): Promise<void> {
  const byId = new Map(items.map((i) => [i.id, i]));
  for (const item of items) {
    for (const dep of [...item.dependsOn, ...(item.startsAfter ?? [])]) {
      if (!byId.has(dep)) throw new Error(`${item.id} depends on ${dep}, which is not in the lab`);
    }
  }
  const launched = new Map<string, Launched>();
  const visiting = new Set<string>();
  const launch = (item: T): Launched => {
    const existing = launched.get(item.id);
    if (existing) return existing;
    if (visiting.has(item.id)) throw new Error(`dependency cycle through ${item.id}`);
    visiting.add(item.id);
    const waits = [
      ...item.dependsOn.map((d) => launch(byId.get(d)!).healthy),
      ...(item.startsAfter ?? []).map((d) => launch(byId.get(d)!).started),
    ];
    let markStarted = () => {};
    let failStart: (error: unknown) => void = () => {};
    const started = new Promise<void>((resolve, reject) => {
      markStarted = resolve;
      failStart = reject;
    });
    // Whoever waits on it sees the failure through `healthy` too; this keeps it from being unhandled.
    started.catch(() => {});
    const healthy = Promise.all(waits).then(() => start(item, markStarted));
    // A task that never says it started has started once it is healthy, and has not if it failed.
    healthy.then(markStarted, failStart);
    const result = { started, healthy };
    launched.set(item.id, result);
    return result;
  };
  let first: { error: unknown } | null = null;
  const all = items.map((item) =>
    launch(item).healthy.catch((error: unknown) => {
      first ??= { error };
      failed.abort();
    }),
  );
  // Every task has settled before a failure is reported, so the caller's clean-up sees everything
  // that was started, including what was still starting when the first one failed. The failure
  // reported is the first in time: the others are usually the aborts it caused.
  await Promise.all(all);
  if (first) throw (first as { error: unknown }).error;
}

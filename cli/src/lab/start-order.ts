/**
 * Starts a set of components in dependency order, each as soon as everything it depends on has
 * finished starting (not in fixed tiers), so independent chains start in parallel and the total
 * time is the longest chain. A failure is rethrown once every started task has settled; tasks
 * should check the caller's abort signal so that the rest settle quickly.
 */
export interface Startable {
  id: string;
  dependsOn: string[];
}

/** `failed` is aborted at the first failure, so the tasks still running can stop early. */
export async function startInOrder<T extends Startable>(
  items: T[],
  start: (item: T) => Promise<void>,
  failed: AbortController = new AbortController(),
): Promise<void> {
  const ids = new Set(items.map((i) => i.id));
  for (const item of items) {
    for (const dep of item.dependsOn) {
      if (!ids.has(dep)) throw new Error(`${item.id} depends on ${dep}, which is not in the lab`);
    }
  }
  const started = new Map<string, Promise<void>>();
  const visiting = new Set<string>();
  const launch = (item: T): Promise<void> => {
    const existing = started.get(item.id);
    if (existing) return existing;
    if (visiting.has(item.id)) throw new Error(`dependency cycle through ${item.id}`);
    visiting.add(item.id);
    const deps = item.dependsOn.map((d) => launch(items.find((i) => i.id === d)!));
    const promise = Promise.all(deps).then(() => start(item));
    started.set(item.id, promise);
    return promise;
  };
  let first: { error: unknown } | null = null;
  const all = items.map((item) =>
    launch(item).catch((error: unknown) => {
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

/**
 * Starts a set of components in dependency order, each as soon as everything it depends on has
 * finished starting (not in fixed tiers), so independent chains start in parallel and the total
 * time is the longest chain. The first failure aborts the rest and is rethrown.
 */
export interface Startable {
  id: string;
  dependsOn: string[];
}

export async function startInOrder<T extends Startable>(items: T[], start: (item: T) => Promise<void>): Promise<void> {
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
  await Promise.all(items.map(launch));
}

import type { DriverInstance } from './driver.js';

/**
 * Stop order, the start order reversed: an instance stops only after everything that waits for it
 * (the gateway first, then the services, then what they need). Tiers stop one after another, the
 * instances of a tier together.
 */
export function stopTiers<I extends Pick<DriverInstance, 'id' | 'dependsOn' | 'startsAfter'>>(instances: I[]): I[][] {
  const waitedOnBy = new Map<string, string[]>();
  for (const i of instances) {
    for (const d of [...i.dependsOn, ...i.startsAfter]) waitedOnBy.set(d, [...(waitedOnBy.get(d) ?? []), i.id]);
  }
  const level = new Map<string, number>();
  const levelOf = (id: string, seen: Set<string>): number => {
    const known = level.get(id);
    if (known !== undefined) return known;
    // A cycle cannot start at all; should one reach here, it stops in one tier rather than hang.
    if (seen.has(id)) return 0;
    seen.add(id);
    const above = (waitedOnBy.get(id) ?? []).filter((w) => instances.some((i) => i.id === w));
    const value = above.length ? 1 + Math.max(...above.map((w) => levelOf(w, seen))) : 0;
    level.set(id, value);
    return value;
  };
  const tiers: I[][] = [];
  for (const i of instances) (tiers[levelOf(i.id, new Set())] ??= []).push(i);
  return tiers.filter(Boolean);
}

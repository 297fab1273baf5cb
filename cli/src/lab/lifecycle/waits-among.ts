import { componentFor } from '../components/catalogue.js';
import type { ComponentName } from '../spec.js';

/**
 * What each found instance waited for, from its component's dependencies, among the instances
 * that exist: for a lab whose runtime keeps no plan (the Engine only has containers and labels).
 */
export function waitsAmong<T extends { id: string; name: ComponentName }>(
  found: T[],
): (T & { dependsOn: string[]; startsAfter: string[] })[] {
  const idsOf = (names: readonly ComponentName[]) => found.filter((f) => names.includes(f.name)).map((f) => f.id);
  return found.map((f) => {
    const component = componentFor(f.name);
    return { ...f, dependsOn: idsOf(component.dependsOn), startsAfter: idsOf(component.startsAfter) };
  });
}

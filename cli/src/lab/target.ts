import { UsageError } from '../errors.js';

export interface Targetable {
  id: string;
  name: string;
  replica: number;
}

/**
 * Resolves what a fault verb or `logs` names: a component (`availability-service`, every replica),
 * one replica (`availability-service#2`) or an instance id (`availability-service-2`).
 */
export function resolveTarget<T extends Targetable>(instances: T[], target: string): T[] {
  const [name, replica] = target.split('#');
  if (replica !== undefined) {
    const n = Number(replica);
    const hit = instances.filter((i) => i.name === name && i.replica === n);
    if (hit.length) return hit;
  } else {
    const byName = instances.filter((i) => i.name === target);
    if (byName.length) return byName;
    const byId = instances.filter((i) => i.id === target);
    if (byId.length) return byId;
  }
  const names = [...new Set(instances.map((i) => i.name))];
  const replicas = instances.filter((i) => instances.filter((j) => j.name === i.name).length > 1).map((i) => `${i.name}#${i.replica}`);
  throw new UsageError(`no component or replica named "${target}" in this lab`, `choose one of: ${[...names, ...replicas].join(', ')}`);
}

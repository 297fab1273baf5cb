/**
 * The lab spec: the one description of the lab that every runtime, the gateway configuration and
 * the compose file are derived from. It says which components run and how many replicas each has;
 * what each component is (ports, probes, commands) is said once in the catalogue (components/).
 */
import { CATALOGUE } from './components/catalogue.js';
import type { ComponentKind, ComponentName, ServiceName } from './components/names.js';
import type { ComponentSpec, LabOptions, LabSecrets, LabSpec } from './spec-types.js';

export { INFRASTRUCTURE, SERVICES } from './components/names.js';
export type { ComponentKind, ComponentName, InfraName, ServiceName } from './components/names.js';

export type { AddressBook, ComponentSpec, LabOptions, LabSecrets, LabSpec } from './spec-types.js';

export const DEFAULT_LAB = 'default';
export const DEFAULT_GATEWAY_PORT = 8080;
export const DEFAULT_REPLICAS: Record<ServiceName, number> = {
  'user-service': 1,
  'availability-service': 2,
  'suggestion-service': 2,
  'worker-service': 1,
};
export const MAX_REPLICAS = 8;

export function buildLabSpec(secrets: LabSecrets, options: LabOptions = {}): LabSpec {
  const replicas: Record<string, number> = { ...DEFAULT_REPLICAS, ...options.replicas };
  return {
    name: options.name ?? DEFAULT_LAB,
    gatewayPort: options.gatewayPort ?? DEFAULT_GATEWAY_PORT,
    secrets,
    serviceEnv: options.serviceEnv,
    components: CATALOGUE.map((c) => ({
      name: c.name,
      kind: c.kind,
      replicas: c.kind === 'service' ? replicas[c.name]! : 1,
      dependsOn: [...c.dependsOn],
      startsAfter: [...c.startsAfter],
      ...(c.gatewayPrefix ? { gatewayPrefix: c.gatewayPrefix } : {}),
    })),
  };
}

/** An instance is one replica: `availability-service#2` in commands, `availability-service-2` in files. */
export interface InstanceRef {
  name: ComponentName;
  replica: number;
}

export function instanceId(ref: InstanceRef, replicas: number): string {
  return replicas > 1 ? `${ref.name}-${ref.replica}` : ref.name;
}

export function componentOf(spec: LabSpec, name: string): ComponentSpec | undefined {
  return spec.components.find((c) => c.name === name);
}

/** Instance ids of every replica of a component. */
export function instanceIds(c: Pick<ComponentSpec, 'name' | 'replicas'>): string[] {
  return Array.from({ length: c.replicas }, (_, i) => instanceId({ name: c.name, replica: i + 1 }, c.replicas));
}

/** What each instance of a component waits for, as instance ids: healthy ones, and started ones. */
export function instanceWaits(spec: LabSpec, c: ComponentSpec): { dependsOn: string[]; startsAfter: string[] } {
  const ids = (names: string[]) => names.flatMap((d) => instanceIds(componentOf(spec, d)!));
  return { dependsOn: ids(c.dependsOn), startsAfter: ids(c.startsAfter) };
}

/** Every instance of the lab with what it waits for, in the spec's order. */
export function specInstances(
  spec: LabSpec,
): { id: string; name: ComponentName; kind: ComponentKind; replica: number; dependsOn: string[]; startsAfter: string[] }[] {
  return spec.components.flatMap((c) => {
    const waits = instanceWaits(spec, c);
    return instanceIds(c).map((id, index) => ({ id, name: c.name, kind: c.kind, replica: index + 1, ...waits }));
  });
}

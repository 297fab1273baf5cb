/**
 * The lab spec: the one description of the lab that every runtime, the gateway configuration and
 * the compose file are derived from. It says which components run and how many replicas each has;
 * what each component is (ports, probes, commands) is said once in the catalogue (components/).
 */
import { CATALOGUE } from './components/catalogue.js';
import type { ComponentKind, ComponentName, ServiceName } from './components/names.js';

export { INFRASTRUCTURE, SERVICES } from './components/names.js';
export type { ComponentKind, ComponentName, InfraName, ServiceName } from './components/names.js';

/** Credentials generated for one lab; nothing is ever guest/guest. */
export interface LabSecrets {
  postgresUser: string;
  postgresPassword: string;
  postgresDb: string;
  rabbitUser: string;
  rabbitPassword: string;
  redisPassword: string;
}

/** Where the other components are reachable from inside a component, as the runtime decides. */
export interface AddressBook {
  /** host:port of every replica of a component, in replica order. */
  hostPorts(name: ComponentName): string[];
  /** Secrets are compose's `${VAR}` placeholders, which must reach the file whole (not URL-encoded). */
  keepPlaceholders?: boolean;
}

export interface ComponentSpec {
  name: ComponentName;
  kind: ComponentKind;
  replicas: number;
  /** What it needs in order to boot: started as soon as all of these are healthy. */
  dependsOn: ComponentName[];
  /** What has to exist, but not yet answer, when it starts (see start-order.ts). */
  startsAfter: ComponentName[];
  /** The gateway path prefix that routes to this service. */
  gatewayPrefix?: string;
}

export interface LabSpec {
  name: string;
  gatewayPort: number;
  secrets: LabSecrets;
  components: ComponentSpec[];
  /** Extra environment for every service (e.g. LOG_LEVEL, JOB_WORK_MS). */
  serviceEnv?: Record<string, string>;
}

export interface LabOptions {
  name?: string;
  gatewayPort?: number;
  replicas?: Partial<Record<ServiceName, number>>;
  /** Extra environment for every service (e.g. LOG_LEVEL, JOB_WORK_MS). */
  serviceEnv?: Record<string, string>;
}

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

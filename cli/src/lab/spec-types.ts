/**
 * The lab spec's types alone, below the catalogue: the components describe themselves in them,
 * and spec.ts builds a spec from the catalogue.
 */
import type { ComponentKind, ComponentName, ServiceName } from './components/names.js';

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

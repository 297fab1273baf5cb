/**
 * The lab spec: the one description of the lab that every runtime, the gateway configuration and
 * the compose file are derived from. Plain data plus functions of an address book, so the same
 * spec resolves to loopback ports in the process runtime and to container names on Docker.
 */

export const SERVICES = ['user-service', 'availability-service', 'suggestion-service', 'worker-service'] as const;
export type ServiceName = (typeof SERVICES)[number];
export const INFRASTRUCTURE = ['postgres', 'redis', 'rabbitmq'] as const;
export type InfraName = (typeof INFRASTRUCTURE)[number];
export type ComponentName = ServiceName | InfraName | 'gateway';
export type ComponentKind = 'infra' | 'service' | 'gateway';

/** How a component proves it is ready. Each runtime turns these into concrete probes. */
export type HealthCheck =
  | { kind: 'http'; path: string }
  | { kind: 'postgres' }
  | { kind: 'redis' }
  | { kind: 'amqp' };

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
}

export interface ComponentSpec {
  name: ComponentName;
  kind: ComponentKind;
  replicas: number;
  /** What it needs in order to boot: started as soon as all of these are healthy. */
  dependsOn: ComponentName[];
  /**
   * What has to exist, but not yet answer, when it starts: started once these have started,
   * without waiting for them to be healthy (the gateway, whose nginx resolves every upstream's name
   * as it loads). A service that only calls another per request waits for nothing: it answers 503
   * or 502 while that one is down, which is what the lab is there to show.
   */
  startsAfter?: ComponentName[];
  health: HealthCheck;
  /** A service's environment (never PORT, HOST or INSTANCE_ID, which the runtime sets). */
  env?: (book: AddressBook, secrets: LabSecrets) => Record<string, string>;
  /** The gateway path prefix that routes to this service. */
  gatewayPrefix?: string;
}

export interface LabSpec {
  name: string;
  gatewayPort: number;
  secrets: LabSecrets;
  components: ComponentSpec[];
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

/** Service bases are lists: callers balance over the replicas and skip one that refuses. */
const bases = (book: AddressBook, name: ComponentName) => book.hostPorts(name).map((hp) => `http://${hp}`).join(',');

export function buildLabSpec(secrets: LabSecrets, options: LabOptions = {}): LabSpec {
  const replicas = { ...DEFAULT_REPLICAS, ...options.replicas };
  const extra = options.serviceEnv ?? {};
  const service = (
    name: ServiceName,
    prefix: string,
    needs: { dependsOn?: ComponentName[]; startsAfter?: ComponentName[] },
    env: (book: AddressBook, s: LabSecrets) => Record<string, string>,
  ): ComponentSpec => ({
    name, kind: 'service', replicas: replicas[name], dependsOn: needs.dependsOn ?? [], startsAfter: needs.startsAfter ?? [],
    health: { kind: 'http', path: '/health' },
    gatewayPrefix: prefix, env: (book, s) => ({ ...env(book, s), ...extra }),
  });
  return {
    name: options.name ?? DEFAULT_LAB,
    gatewayPort: options.gatewayPort ?? DEFAULT_GATEWAY_PORT,
    secrets,
    components: [
      { name: 'postgres', kind: 'infra', replicas: 1, dependsOn: [], health: { kind: 'postgres' } },
      { name: 'redis', kind: 'infra', replicas: 1, dependsOn: [], health: { kind: 'redis' } },
      { name: 'rabbitmq', kind: 'infra', replicas: 1, dependsOn: [], health: { kind: 'amqp' } },
      service('user-service', '/users/', { dependsOn: ['postgres', 'redis'] }, (book, s) => ({
        PG_DSN: `postgres://${s.postgresUser}:${s.postgresPassword}@${book.hostPorts('postgres')[0]}/${s.postgresDb}`,
        // Generated passwords are base64url, safe in a URL as they are (and compose's placeholder must stay whole).
        REDIS_URL: `redis://:${s.redisPassword}@${book.hostPorts('redis')[0]}`,
      })),
      service('availability-service', '/availability/', {}, (book) => ({
        USER_SERVICE_BASE: bases(book, 'user-service'),
      })),
      service('suggestion-service', '/suggestion/', {}, (book) => ({
        AVAILABILITY_SERVICE_BASE: bases(book, 'availability-service'),
      })),
      // The worker needs only the broker to be healthy; it retries suggestions that are not there yet.
      service('worker-service', '/worker/', { dependsOn: ['rabbitmq'] }, (book, s) => ({
        RABBITMQ_URL: `amqp://${s.rabbitUser}:${s.rabbitPassword}@${book.hostPorts('rabbitmq')[0]}`,
        SUGGESTION_SERVICE_BASE: bases(book, 'suggestion-service'),
        QUEUE_NAME: 'meeting_jobs',
      })),
      // nginx needs each upstream's name to resolve when it loads its configuration, so the services
      // have to exist (have started); it answers 502 for one that is not healthy yet.
      { name: 'gateway', kind: 'gateway', replicas: 1, dependsOn: [], startsAfter: [...SERVICES], health: { kind: 'http', path: '/health' } },
    ],
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

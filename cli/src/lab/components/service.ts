import { OFFICIAL_IMAGES } from '../docker/official-images.js';
import { serviceBundle } from '../../shared/paths.js';
import type { ComponentName, ServiceName } from './names.js';
import type { AddressBook, LabSecrets } from '../spec-types.js';
import { COMPOSE_HEALTH, httpHealthCheck, type Component } from './component.js';

/** Every service listens on this port inside its container. */
const PORT = 8000;

/** Where a service's request log is cut on processes: it keeps this much and one older file of the same size. */
export const LOG_CAP_MB = 20;

/** Service bases are lists: callers balance over the replicas and skip one that refuses. */
export const serviceBases = (book: AddressBook, name: ComponentName) =>
  book
    .hostPorts(name)
    .map((hp) => `http://${hp}`)
    .join(',');

interface ServiceDefinition {
  name: ServiceName;
  gatewayPrefix: string;
  dependsOn?: ComponentName[];
  /** The service its /health asks about (see Component.healthAfter). */
  healthAfter?: ComponentName[];
  env: (book: AddressBook, secrets: LabSecrets) => Record<string, string>;
}

/** A W2Meet service: one of the Node bundles, run the same way whichever service it is. */
export function serviceComponent(definition: ServiceDefinition): Component {
  const { name } = definition;
  return {
    name,
    kind: 'service',
    innerPort: PORT,
    stopSignal: 'SIGTERM',
    // A service is up in seconds; the margin is for a machine whose cores other work holds.
    startTimeoutMs: 60_000,
    dependsOn: definition.dependsOn ?? [],
    // A service that only calls another per request waits for nothing: it answers 503 or 502 while
    // that one is down, which is what the lab is there to show.
    startsAfter: [],
    healthAfter: definition.healthAfter ?? [],
    gatewayPrefix: definition.gatewayPrefix,
    env: definition.env,
    probe: (at) => ({ kind: 'http', url: `http://${at.host}:${at.port}/health` }),
    process: ({ spec, id, host, port, logs, book, baseEnv }) => ({
      command: process.execPath,
      args: ['--enable-source-maps', serviceBundle(name)],
      // The service writes its request log itself, capped (stdout and stderr still go to the same file).
      env: {
        ...baseEnv,
        ...serviceEnv(definition, book, spec.secrets, spec.serviceEnv),
        PORT: String(port),
        HOST: host,
        INSTANCE_ID: id,
        LOG_FILE: `${logs}/${id}.log`,
        LOG_FILE_MAX_MB: String(LOG_CAP_MB),
      },
    }),
    container: ({ spec, id, book, requestLogs }) => ({
      env: {
        ...serviceEnv(definition, book, spec.secrets, spec.serviceEnv),
        PORT: String(PORT),
        HOST: '0.0.0.0',
        INSTANCE_ID: id,
        ...(requestLogs
          ? { LOG_FILE: `${requestLogs}/${id}.log`, LOG_FILE_MAX_MB: String(LOG_CAP_MB), LOG_STDOUT: 'startup-and-warnings' }
          : {}),
      },
      health: httpHealthCheck(PORT),
    }),
    compose: ({ spec, id, book, secrets }) => ({
      build: { context: '../dist/services', dockerfile: 'service.Dockerfile', args: { BASE_IMAGE: OFFICIAL_IMAGES.node, SERVICE: name } },
      environment: { ...serviceEnv(definition, book, secrets, spec.serviceEnv), PORT: String(PORT), HOST: '0.0.0.0', INSTANCE_ID: id },
      healthcheck: { test: httpHealthCheck(PORT), ...COMPOSE_HEALTH },
    }),
  };
}

/**
 * Node resolves names on its 4 libuv threads, and a lookup of a replica's name while it is away can
 * hang for seconds: four of them made every other lookup wait, so a call to the live replica timed
 * out too. More threads keep the live replica's lookups going.
 */
const LOOKUP_THREADS = '16';

function serviceEnv(definition: ServiceDefinition, book: AddressBook, secrets: LabSecrets, extra: Record<string, string> | undefined) {
  return { UV_THREADPOOL_SIZE: LOOKUP_THREADS, ...definition.env(book, secrets), ...(extra ?? {}) };
}

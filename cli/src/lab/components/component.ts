import type { ImageFlavour } from '../docker/official-images.js';
import type { ComponentKind, ComponentName } from './names.js';
import type { AddressBook, LabSecrets, LabSpec } from '../spec-types.js';
import type { HostPort, ProbeSpec } from '../wait/probe-spec.js';

/**
 * One component of the lab, said once: what it listens on, how it stops, how long it may take to
 * start, how w2meet checks it, what runs once it is healthy, and how it runs as a process, as a
 * container and in the compose file. The runtimes and the compose file are loops over these.
 */
export interface Component {
  name: ComponentName;
  kind: ComponentKind;
  /** The port it listens on inside a container (and in the compose file). */
  innerPort: number;
  stopSignal: NodeJS.Signals;
  /** How long a start may take before it counts as failed, from the moment it runs. */
  startTimeoutMs: number;
  /** What it needs healthy before it starts (see start-order.ts). */
  dependsOn: ComponentName[];
  /** What must have started (not answered) before it starts. */
  startsAfter: ComponentName[];
  /**
   * What its own health check asks about (a service's, the service it calls): it starts without
   * waiting for them, but its start limit counts from when they are healthy.
   */
  healthAfter?: ComponentName[];
  /** The gateway path prefix that routes to it (services). */
  gatewayPrefix?: string;
  /** A service's own environment, from where the others are (never PORT, HOST or INSTANCE_ID). */
  env?: (book: AddressBook, secrets: LabSecrets) => Record<string, string>;
  /** How w2meet checks it, at the address the host reaches it on. */
  probe(at: HostPort, secrets: LabSecrets): ProbeSpec;
  /** What has to happen once it is healthy and before anything that needs it starts. */
  afterHealthy?(instance: { id: string }, at: HostPort, secrets: LabSecrets): Promise<void>;
  /** How it runs as a local process. */
  process(context: ProcessContext): ProcessLaunch;
  /** How it runs as a container of the lab network. */
  container(context: ContainerContext): ContainerLaunch;
  /** Its service in compose/docker-compose.yml. */
  compose(context: ComposeContext): Record<string, unknown>;
}

export interface ProcessContext {
  spec: LabSpec;
  id: string;
  /** The lab's folder, and its logs folder. */
  dir: string;
  logs: string;
  host: string;
  port: number;
  book: AddressBook;
  /** The path of a program it needs; throws a PrerequisiteError when it is missing. */
  binary(name: string): string;
  /** A further port the process runtime set aside (RabbitMQ's epmd and distribution ports). */
  extraPort(key: string): number;
  /** PATH and locale only: nothing else of the caller's environment leaks into the lab. */
  baseEnv: Record<string, string>;
  /** The user Postgres runs as when w2meet runs as root. */
  postgresUser?: { uid: number; gid: number };
}

export interface ProcessLaunch {
  command: string;
  args: string[];
  env: Record<string, string>;
  cwd?: string;
  uid?: number;
  gid?: number;
  /** Further files it writes its logs to (the gateway's access log). */
  extraLogFiles?: string[];
}

export interface ContainerContext {
  spec: LabSpec;
  id: string;
  book: AddressBook;
  /** How its image expects to be run: official images have their own entrypoints. */
  flavour: ImageFlavour;
  /**
   * The folder (inside the container) a request log is written to, when the lab mounts one: then
   * requests are logged there, off the Engine's log copying, and stdout keeps start-up and errors.
   */
  requestLogs?: string;
}

export interface ContainerLaunch {
  cmd?: string[];
  env: Record<string, string>;
  user?: string;
  /** The Engine's own health check (for `docker ps`; w2meet probes from the host). */
  health: string[];
  /** Where it keeps its data: a named volume is mounted there. */
  dataPath?: string;
  /** w2meet's local image plays every role, so its entrypoint is replaced by the role's command. */
  replaceEntrypoint?: boolean;
  /** CPU weight while everything boots at once (1024 is the default). */
  cpuShares?: number;
}

export interface ComposeContext {
  spec: LabSpec;
  id: string;
  book: AddressBook;
  secrets: LabSecrets;
}

/** A URL's user-info part, each value encoded once, here. Compose's `${VAR}` placeholders stay whole. */
export function userInfo(user: string, password: string, keepPlaceholders = false): string {
  const encode = (value: string) => (keepPlaceholders && value.startsWith('${') ? value : encodeURIComponent(value));
  return `${encode(user)}:${encode(password)}`;
}

/** A container health check that opens a TCP port and, for HTTP, expects 200 from /health. */
export function httpHealthCheck(port: number): string[] {
  return healthRequest(port, "' 200 '");
}

/** GET /health with w2meet's probe Case-ID, in bash alone (no curl in the image), its status line matched by grep. */
function healthRequest(port: number, statusPattern: string): string[] {
  return [
    'CMD',
    'bash',
    '-c',
    `exec 3<>/dev/tcp/127.0.0.1/${port} && printf 'GET /health HTTP/1.0\\r\\nCase-ID: w2meet-probe\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q ${statusPattern}`,
  ];
}

/**
 * Whether the service answers HTTP at all, whatever its dependencies say (its /health answers 503
 * while Postgres is down). Where the engine acts on health (Swarm replaces an unhealthy task), a
 * service waiting out a broken dependency must not be restarted for it: that is the lab's point.
 */
export function httpLivenessCheck(port: number): string[] {
  return healthRequest(port, "'^HTTP/1\\.[01] [1-5][0-9][0-9] '");
}

/** Compose's health-check timings: every 2 s, and 250 ms apart while it starts. */
export const COMPOSE_HEALTH = { interval: '2s', timeout: '2s', retries: 3, start_period: '60s', start_interval: '250ms' };

/** Compose reads `$$` as one `$`: a shell script in the compose file is written this way. */
export const composeEscape = (script: string) => script.replace(/\$/g, '$$$$');

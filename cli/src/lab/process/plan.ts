import { join } from 'node:path';
import { PrerequisiteError } from '../../errors.js';
import { serviceBundle } from '../paths.js';
import { RABBITMQ_QUIET_SCHEDULERS } from '../rabbitmq-apps.js';
import { instanceId, type AddressBook, type ComponentName, type ComponentSpec, type LabSpec } from '../spec.js';
import type { BinaryName } from './binaries.js';
import type { ProbeSpec, ProcessInstance } from './state.js';

const HOST = '127.0.0.1';

export interface PlanInput {
  spec: LabSpec;
  dir: string;
  binaries: Record<BinaryName, string | null>;
  /** A free port for every instance id (and `epmd`). */
  ports: Record<string, number>;
  /** The uid/gid Postgres runs as when w2meet runs as root. */
  postgresUser?: { uid: number; gid: number };
  baseEnv: NodeJS.ProcessEnv;
}

function need(binaries: PlanInput['binaries'], name: BinaryName): string {
  const path = binaries[name];
  if (!path) throw new PrerequisiteError(`${name} is not installed; the process runtime needs it`);
  return path;
}

/** Instance ids of every replica of a component. */
export function instanceIds(c: ComponentSpec): string[] {
  return Array.from({ length: c.replicas }, (_, i) => instanceId({ name: c.name, replica: i + 1 }, c.replicas));
}

/** What each instance of a component waits for, as instance ids: healthy ones, and started ones. */
export function instanceWaits(spec: LabSpec, c: ComponentSpec): { dependsOn: string[]; startsAfter: string[] } {
  const ids = (names: string[]) => names.flatMap((d) => instanceIds(spec.components.find((x) => x.name === d)!));
  return { dependsOn: ids(c.dependsOn), startsAfter: ids(c.startsAfter ?? []) };
}

/** A minimal environment: PATH and locale from the caller, nothing else leaks into the lab. */
function baseEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = { PATH: env.PATH ?? '/usr/local/bin:/usr/bin:/bin' };
  for (const key of ['LANG', 'LC_ALL', 'TZ']) if (env[key]) out[key] = env[key]!;
  return out;
}

/**
 * Turns the lab spec into the processes of the process runtime: commands, arguments, environment,
 * ports, log files and readiness probes. Pure apart from reading nothing: the caller prepares
 * data folders and writes configuration files.
 */
export function planProcesses(input: PlanInput): ProcessInstance[] {
  const { spec, dir, ports } = input;
  const logs = join(dir, 'logs');
  const book: AddressBook = {
    hostPorts: (name: ComponentName) => {
      const c = spec.components.find((x) => x.name === name);
      if (!c) throw new Error(`unknown component ${name}`);
      return instanceIds(c).map((id) => `${HOST}:${ports[id]}`);
    },
  };
  const env = baseEnv(input.baseEnv);
  const s = spec.secrets;
  const out: ProcessInstance[] = [];
  const add = (partial: Omit<ProcessInstance, 'logFile' | 'extraLogFiles' | 'pid' | 'intended' | 'startedAt' | 'timeline' | 'cwd' | 'stopSignal' | 'startTimeoutMs'> & Partial<ProcessInstance>) => {
    out.push({
      cwd: dir, stopSignal: 'SIGTERM', startTimeoutMs: 30_000, extraLogFiles: [],
      logFile: join(logs, `${partial.id}.log`), pid: null, intended: 'stopped', startedAt: null, timeline: {},
      ...partial,
    });
  };
  const port = (id: string) => {
    const p = ports[id];
    if (p === undefined) throw new Error(`no port for ${id}`);
    return p;
  };

  add({
    id: 'epmd', name: 'epmd', kind: 'infra', replica: 1, command: need(input.binaries, 'epmd'),
    args: ['-port', String(port('epmd'))], env: { ...env, ERL_EPMD_ADDRESS: HOST }, port: port('epmd'),
    probe: { kind: 'epmd', host: HOST, port: port('epmd') }, dependsOn: [], startsAfter: [],
  });

  for (const c of spec.components) {
    instanceIds(c).forEach((id, index) => {
      const p = port(id);
      const { dependsOn: deps, startsAfter } = instanceWaits(spec, c);
      const common = { id, name: c.name, kind: c.kind, replica: index + 1, port: p, startsAfter };
      switch (c.name) {
        case 'postgres': {
          const pgDir = join(dir, 'postgres');
          add({
            ...common, command: need(input.binaries, 'postgres'),
            args: ['-D', join(pgDir, 'data'), '-p', String(p), '-c', `listen_addresses=${HOST}`,
              '-c', `unix_socket_directories=${join(pgDir, 'run')}`],
            env, cwd: pgDir, stopSignal: 'SIGINT', dependsOn: deps,
            ...(input.postgresUser ?? {}),
            probe: { kind: 'postgres', dsn: `postgres://${s.postgresUser}:${encodeURIComponent(s.postgresPassword)}@${HOST}:${p}/postgres` },
          });
          return;
        }
        case 'redis':
          add({
            ...common, command: need(input.binaries, 'redis-server'),
            // The password is in the config file (private to the lab), never on a command line others can read.
            args: [join(dir, 'redis', 'redis.conf'), '--port', String(p), '--bind', HOST, '--save', '', '--appendonly', 'no', '--dir', join(dir, 'redis')],
            env, dependsOn: deps, probe: { kind: 'redis', host: HOST, port: p, password: s.redisPassword },
          });
          return;
        case 'rabbitmq': {
          const rmq = join(dir, 'rabbitmq');
          add({
            ...common, command: need(input.binaries, 'rabbitmq-server'), args: [], cwd: rmq,
            env: {
              ...env,
              HOME: rmq,
              RABBITMQ_NODENAME: `w2meet-${spec.name}@localhost`,
              RABBITMQ_NODE_IP_ADDRESS: HOST,
              RABBITMQ_NODE_PORT: String(p),
              RABBITMQ_DIST_PORT: String(port('rabbitmq-dist')),
              ERL_EPMD_PORT: String(port('epmd')),
              RABBITMQ_MNESIA_BASE: join(rmq, 'mnesia'),
              RABBITMQ_LOG_BASE: join(rmq, 'log'),
              RABBITMQ_LOGS: '-',
              RABBITMQ_CONFIG_FILE: join(rmq, 'rabbitmq.conf'),
              RABBITMQ_ADVANCED_CONFIG_FILE: join(rmq, 'advanced.config'),
              RABBITMQ_CONF_ENV_FILE: join(rmq, 'rabbitmq-env.conf'),
              RABBITMQ_ENABLED_PLUGINS_FILE: join(rmq, 'enabled_plugins'),
              RABBITMQ_PID_FILE: join(rmq, 'rabbitmq.pid'),
              // The distribution port listens on loopback like every other port of the lab (Erlang binds it to all addresses otherwise).
              RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS: `-start_epmd false -kernel inet_dist_use_interface {127,0,0,1} ${RABBITMQ_QUIET_SCHEDULERS}`,
            },
            dependsOn: ['epmd', ...deps], startTimeoutMs: 60_000,
            probe: { kind: 'amqp', url: `amqp://${s.rabbitUser}:${encodeURIComponent(s.rabbitPassword)}@${HOST}:${p}` },
          });
          return;
        }
        case 'gateway': {
          const nginx = join(dir, 'nginx');
          add({
            ...common, command: need(input.binaries, 'nginx'),
            args: ['-p', nginx, '-c', join(nginx, 'nginx.conf'), '-e', join(logs, 'gateway.log'), '-g', 'daemon off;'],
            env, dependsOn: deps, extraLogFiles: [join(logs, 'gateway-access.log')],
            probe: { kind: 'http', url: `http://${HOST}:${p}/health` },
          });
          return;
        }
        default:
          add({
            ...common, command: process.execPath, args: ['--enable-source-maps', serviceBundle(c.name)],
            // The service writes its request log itself, capped (stdout and stderr still go to the same file).
            env: { ...env, ...c.env!(book, s), PORT: String(p), HOST, INSTANCE_ID: id, LOG_FILE: join(logs, `${id}.log`), LOG_FILE_MAX_MB: String(LOG_CAP_MB) },
            dependsOn: deps, probe: { kind: 'http', url: `http://${HOST}:${p}/health` } satisfies ProbeSpec,
          });
      }
    });
  }
  return out;
}

/** Where a lab's busiest logs are cut: each keeps this much and one older file of the same size. */
export const LOG_CAP_MB = 20;

/** Every port the plan needs: one per instance, plus epmd and RabbitMQ's distribution port. */
export function portKeys(spec: LabSpec): string[] {
  return ['epmd', 'rabbitmq-dist', ...spec.components.flatMap((c) => instanceIds(c))];
}

import { join } from 'node:path';
import { PrerequisiteError } from '../../errors.js';
import { componentFor } from '../components/catalogue.js';
import { instanceIds, instanceWaits, type AddressBook, type ComponentName, type LabSpec } from '../spec.js';
import type { BinaryName } from './binaries.js';
import type { Companion, ProcessInstance } from './state.js';

export { LOG_CAP_MB } from '../components/service.js';

const HOST = '127.0.0.1';

export interface PlanInput {
  spec: LabSpec;
  dir: string;
  binaries: Record<BinaryName, string | null>;
  /** A free port for every instance id (and `epmd`, `rabbitmq-dist`). */
  ports: Record<string, number>;
  /** The uid/gid Postgres runs as when w2meet runs as root. */
  postgresUser?: { uid: number; gid: number };
  baseEnv: NodeJS.ProcessEnv;
}

/** A minimal environment: PATH and locale from the caller, nothing else leaks into the lab. */
function baseEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = { PATH: env.PATH ?? '/usr/local/bin:/usr/bin:/bin' };
  for (const key of ['LANG', 'LC_ALL', 'TZ']) if (env[key]) out[key] = env[key]!;
  return out;
}

/**
 * Turns the lab spec into the processes of the process runtime, each as its component says it
 * runs as a process, on a free loopback port. Pure: the caller prepares data folders and
 * configuration files.
 */
export function planProcesses(input: PlanInput): ProcessInstance[] {
  const { spec, dir, ports } = input;
  const logs = join(dir, 'logs');
  const port = (key: string) => {
    const p = ports[key];
    // The caller sets aside a port for every key portKeys names: a missing one is a bug.
    if (p === undefined) throw new Error(`no port for ${key}`);
    return p;
  };
  const book: AddressBook = {
    hostPorts: (name: ComponentName) => instanceIds(spec.components.find((x) => x.name === name)!).map((id) => `${HOST}:${port(id)}`),
  };
  const binary = (name: string) => {
    const path = input.binaries[name as BinaryName];
    if (!path) throw new PrerequisiteError(`${name} is not installed; the process runtime needs it`);
    return path;
  };
  const env = baseEnv(input.baseEnv);
  return spec.components.flatMap((c) => {
    const component = componentFor(c.name);
    const waits = instanceWaits(spec, c);
    return instanceIds(c).map((id, index): ProcessInstance => {
      const p = port(id);
      const launch = component.process({
        spec,
        id,
        dir,
        logs,
        host: HOST,
        port: p,
        book,
        binary,
        extraPort: port,
        baseEnv: env,
        postgresUser: input.postgresUser,
      });
      return {
        id,
        name: c.name,
        kind: c.kind,
        replica: index + 1,
        port: p,
        ...waits,
        command: launch.command,
        args: launch.args,
        env: launch.env,
        cwd: launch.cwd ?? dir,
        ...(launch.uid !== undefined ? { uid: launch.uid, gid: launch.gid } : {}),
        stopSignal: component.stopSignal,
        logFile: join(logs, `${id}.log`),
        extraLogFiles: launch.extraLogFiles ?? [],
        companions: c.name === 'rabbitmq' ? [epmd(binary('epmd'), port('epmd'), env, dir, logs)] : [],
        pid: null,
        intended: 'stopped',
        startedAt: null,
        timeline: {},
      };
    });
  });
}

/** RabbitMQ's own epmd on a port of the lab's, on loopback: never the machine's shared one. */
function epmd(command: string, port: number, env: Record<string, string>, dir: string, logs: string): Companion {
  return {
    id: 'epmd',
    command,
    args: ['-port', String(port)],
    env: { ...env, ERL_EPMD_ADDRESS: HOST },
    cwd: dir,
    port,
    stopSignal: 'SIGTERM',
    logFile: join(logs, 'epmd.log'),
    probe: { kind: 'epmd', host: HOST, port },
    pid: null,
    intended: 'stopped',
    startedAt: null,
  };
}

/** Every port the plan needs: one per instance, plus epmd and RabbitMQ's distribution port. */
export function portKeys(spec: LabSpec): string[] {
  return ['epmd', 'rabbitmq-dist', ...spec.components.flatMap((c) => instanceIds(c))];
}

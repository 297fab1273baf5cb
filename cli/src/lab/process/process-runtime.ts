import { statSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { AbortedError, LabStartError, PrerequisiteError } from '../../errors.js';
import { isPortFree, freePorts } from '../free-port.js';
import { readLogs } from '../log-files.js';
import { labDir } from '../paths.js';
import { ensureLabDir, LAB_ENTRIES, removeLabEntries } from '../lab-folder.js';
import { trimmedRabbitHome } from '../rabbitmq-apps.js';
import type { FaultVerb, InstanceStatus, LabStatus, LogLine, LogOptions, Runtime, UpOptions } from '../runtime.js';
import type { LabSecrets, LabSpec } from '../spec.js';
import { completeSecrets, readSecretsFile, writeSecretsFile } from '../secrets.js';
import { startInOrder } from '../start-order.js';
import { resolveTarget } from '../target.js';
import { probeHealthy, probeFor } from '../wait/probe-for.js';
import { FatalProbeError, waitFor } from '../wait/probes.js';
import { findBinaries, findBinary, type BinaryName } from './binaries.js';
import { alarmArgs, checkAlarmTarget } from '../broker-alarm.js';
import { runChildCommand } from '../child-command.js';
import { PROCESS_WATERMARK } from './prepare.js';
import { capLogFile } from './cap-log-file.js';
import { LOG_CAP_MB } from './plan.js';
import { planProcesses, portKeys } from './plan.js';
import { prepareLab, systemUser } from './prepare.js';
import { firstBlockedFolder } from './reachable-folder.js';
import { applySchema } from '../apply-schema.js';
import { readState, statePath, writeState, type ProcessInstance, type ProcessLabState } from './state.js';
import { groupIsOurs, identityToRecord, instanceState, logTail, spawnInstance, stopGroup, type Spawned } from './supervisor.js';

const STOP_GRACE_MS = 8000;

/**
 * nginx writes the gateway's access log itself and cannot cap it, so w2meet does, whenever it
 * looks at the lab (status, logs, the dashboard every few seconds, every scenario step).
 */
function capGatewayLog(state: ProcessLabState): void {
  for (const i of state.instances) for (const f of i.extraLogFiles) capLogFile(f, LOG_CAP_MB * 1024 * 1024);
}
/** Stop order: the gateway, then the services, then infrastructure, epmd last. */
const STOP_TIERS: ((i: ProcessInstance) => boolean)[] = [
  (i) => i.kind === 'gateway',
  (i) => i.kind === 'service',
  (i) => i.kind === 'infra' && i.name !== 'epmd',
  (i) => i.name === 'epmd',
];

export interface ProcessRuntimeOptions {
  env?: NodeJS.ProcessEnv;
  /** Whether this process may switch users (root); Postgres will not run as root. */
  isRoot?: boolean;
}

/**
 * The lab as local processes: Postgres, Redis, RabbitMQ (with its own epmd), nginx and the built
 * services on free loopback ports, state and logs under `.w2meet/<lab>/`.
 */
export class ProcessRuntime implements Runtime {
  readonly name = 'process' as const;
  private readonly env: NodeJS.ProcessEnv;
  private readonly isRoot: boolean;

  constructor(options: ProcessRuntimeOptions = {}) {
    this.env = options.env ?? process.env;
    this.isRoot = options.isRoot ?? process.getuid?.() === 0;
  }

  private dir(lab: string): string {
    return labDir(lab, this.env);
  }

  async up(spec: LabSpec, options: UpOptions = {}): Promise<LabStatus> {
    const dir = this.dir(spec.name);
    const progress = options.onProgress ?? (() => {});
    const existing = await readState(dir);
    if (existing) {
      const alive = existing.instances.every((i) => instanceState(i) === 'running');
      if (alive) {
        progress({ type: 'info', message: `lab ${spec.name} is already up` });
        return (await this.status(spec.name))!;
      }
      progress({ type: 'info', message: `cleaning up what an earlier run of lab ${spec.name} left behind` });
      await this.stopAll(existing);
      await rm(statePath(dir), { force: true });
    }

    const binaries = findBinaries(this.env);
    const missing = (Object.keys(binaries) as BinaryName[]).filter((b) => !binaries[b]);
    if (missing.length) throw new PrerequisiteError(`the process runtime needs ${missing.join(', ')}, not found on this machine`);
    if (spec.gatewayPort !== 0 && !(await isPortFree(spec.gatewayPort))) {
      throw new LabStartError(
        `port ${spec.gatewayPort} on 127.0.0.1 is already in use`,
        'pass --port N to use another port, or run `w2meet down` if an earlier lab holds it',
      );
    }

    // The lab's folder first: nothing is written into a folder w2meet does not own.
    await ensureLabDir(spec.name, this.env);
    // RabbitMQ boots from a home of the lab's own that holds only the broker's applications.
    binaries['rabbitmq-server'] = trimmedRabbitHome(binaries['rabbitmq-server']!, join(dir, 'rabbitmq', 'home'));
    const keys = portKeys(spec);
    const free = await freePorts(keys.length);
    const ports = Object.fromEntries(keys.map((k, i) => [k, free[i]!]));
    if (spec.gatewayPort !== 0) ports.gateway = spec.gatewayPort;
    const postgresUser = this.isRoot ? systemUser('postgres') ?? undefined : undefined;
    if (this.isRoot && !postgresUser) {
      throw new PrerequisiteError('Postgres will not run as root and there is no `postgres` user to run it as');
    }
    const blocked = postgresUser && firstBlockedFolder(join(dir, 'postgres'), postgresUser);
    if (blocked) {
      const mode = (statSync(blocked).mode & 0o777).toString(8);
      throw new PrerequisiteError(
        `the postgres user, which runs the lab's Postgres, cannot enter ${blocked} (mode ${mode}) on the way to the lab's data in ${dir}`,
        `let it through with \`chmod o+x ${blocked}\`, or point W2MEET_STATE_DIR at a folder outside it`,
      );
    }
    const instances = planProcesses({ spec, dir, binaries, ports, postgresUser, baseEnv: this.env });
    const gateway = instances.find((i) => i.name === 'gateway')!;
    const state: ProcessLabState = {
      version: 1, lab: spec.name, runtime: 'process', createdAt: new Date().toISOString(),
      gatewayUrl: `http://127.0.0.1:${gateway.port}`, secrets: spec.secrets, instances,
    };
    // The credentials live beside the data they protect, and go with it (`down -v`).
    await writeSecretsFile(dir, spec.secrets);
    progress({ type: 'info', message: 'preparing the lab\'s data folders' });
    await prepareLab(dir, spec, instances, binaries, postgresUser, options.signal);
    // initdb heard an interrupt itself; one between the steps is heard here, before anything starts.
    if (options.signal?.aborted) throw new AbortedError('interrupted while preparing the lab; nothing was started');

    let saving = writeState(dir, state);
    const save = () => (saving = saving.then(() => writeState(dir, state)));
    const failed = new AbortController();
    const onAbort = () => failed.abort();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    if (options.signal?.aborted) failed.abort();
    const t0 = Date.now();
    try {
      await startInOrder(instances, async (instance, started) => {
        if (failed.signal.aborted) return;
        progress({ type: 'starting', id: instance.id });
        const spawned = spawnInstance(instance);
        instance.pid = spawned.pid;
        instance.identity = identityToRecord(spawned.pid);
        instance.intended = 'running';
        instance.startedAt = new Date().toISOString();
        instance.timeline = { started: Date.now() - t0 };
        await save();
        started();
        await this.waitHealthy(instance, spawned, failed.signal);
        if (instance.name === 'postgres') await applySchema(spec.secrets, { host: '127.0.0.1', port: instance.port });
        instance.timeline.healthy = Date.now() - t0;
        await save();
        progress({ type: 'healthy', id: instance.id, ms: instance.timeline.healthy });
      }, failed);
      if (failed.signal.aborted) throw new AbortedError('interrupted while starting the lab');
    } catch (err) {
      failed.abort();
      await saving.catch(() => {});
      await this.stopAll(state);
      await rm(statePath(dir), { force: true });
      if (options.signal?.aborted) throw new AbortedError('interrupted while starting the lab; everything started was stopped');
      throw err;
    } finally {
      options.signal?.removeEventListener('abort', onAbort);
    }
    await saving;
    return (await this.status(spec.name))!;
  }

  private async waitHealthy(instance: ProcessInstance, spawned: Spawned, signal: AbortSignal): Promise<void> {
    try {
      await waitFor(probeFor(instance.probe), {
        timeoutMs: instance.startTimeoutMs, signal, stillAlive: spawned.alive, describe: instance.id,
      });
    } catch (err) {
      if (signal.aborted) throw err;
      throw new LabStartError(
        `${(err as Error).message}\n--- last lines of ${instance.logFile} ---\n${logTail(instance.logFile)}`,
        err instanceof FatalProbeError ? err.hint : `see the whole log with \`w2meet logs ${instance.name}\``,
      );
    }
  }

  private async stopAll(state: ProcessLabState, graceMs = STOP_GRACE_MS): Promise<string[]> {
    const stopped: string[] = [];
    for (const tier of STOP_TIERS) {
      await Promise.all(
        state.instances.filter(tier).map(async (i) => {
          if (!i.pid) return;
          // A pid that now names another program is left alone: that process is not the lab's.
          if (groupIsOurs(i)) await stopGroup(i.pid, i.stopSignal, graceMs);
          stopped.push(i.id);
          i.pid = null;
          i.intended = 'stopped';
        }),
      );
    }
    return stopped;
  }

  async down(lab: string, options: { volumes?: boolean } = {}): Promise<{ stopped: string[] }> {
    const dir = this.dir(lab);
    const state = await readState(dir);
    const stopped = state ? await this.stopAll(state) : [];
    await rm(statePath(dir), { force: true });
    if (options.volumes) await removeLabEntries(lab, LAB_ENTRIES.process, this.env);
    return { stopped };
  }

  async credentials(lab: string): Promise<LabSecrets | null> {
    const dir = this.dir(lab);
    const state = await readState(dir);
    return state ? completeSecrets(state.secrets) : readSecretsFile(dir);
  }

  async status(lab: string): Promise<LabStatus | null> {
    const state = await readState(this.dir(lab));
    if (!state) return null;
    capGatewayLog(state);
    const instances = await Promise.all(state.instances.map((i) => this.instanceStatus(i)));
    return { lab, runtime: 'process', gatewayUrl: state.gatewayUrl, createdAt: state.createdAt, instances };
  }

  private async instanceStatus(i: ProcessInstance): Promise<InstanceStatus> {
    // A process that is gone because it was told to stop is `stopped`; gone any other way, `exited`.
    const live = instanceState(i);
    const state = live === 'exited' && i.intended === 'stopped' ? 'stopped' : live;
    const health = state === 'running' ? ((await probeHealthy(i.probe)) ? 'healthy' : 'unhealthy') : 'unknown';
    return {
      id: i.id, name: i.name as InstanceStatus['name'], kind: i.kind, replica: i.replica, state, health,
      address: `127.0.0.1:${i.port}`, pid: state === 'running' || state === 'paused' ? i.pid : null,
      startedAt: i.startedAt, timeline: i.timeline,
    };
  }

  async fault(lab: string, verb: FaultVerb, target: string): Promise<string[]> {
    const dir = this.dir(lab);
    const state = await readState(dir);
    if (!state) throw new LabStartError(`no lab named ${lab} is up`, 'start one with `w2meet up`');
    const targets = resolveTarget(state.instances, target);
    checkAlarmTarget(verb, targets.map((i) => i.name));
    await Promise.all(targets.map((i) => this.applyVerb(i, verb, () => this.saveInstances(dir, [i]))));
    await this.saveInstances(dir, targets);
    return targets.map((i) => i.id);
  }

  private saving: Promise<void> = Promise.resolve();

  /**
   * Writes back only the given instances into the state as it is now on disk. Faults overlap (a
   * scenario restarts RabbitMQ while it kills a worker): writing back a whole state read before the
   * other fault finished would forget the new pid of what that fault started, and leave it orphaned.
   */
  private saveInstances(dir: string, instances: ProcessInstance[]): Promise<void> {
    this.saving = this.saving.catch(() => {}).then(async () => {
      const current = await readState(dir);
      if (!current) return;
      const mine = new Map(instances.map((i) => [i.id, i]));
      current.instances = current.instances.map((i) => mine.get(i.id) ?? i);
      await writeState(dir, current);
    });
    return this.saving;
  }

  /** `spawned` is called once a new process exists, so its pid is saved before it is healthy. */
  private async applyVerb(i: ProcessInstance, verb: FaultVerb, spawned: () => Promise<void>): Promise<void> {
    const live = instanceState(i);
    const alive = (live === 'running' || live === 'paused') && groupIsOurs(i);
    switch (verb) {
      case 'stop':
        if (alive) await stopGroup(i.pid!, i.stopSignal, STOP_GRACE_MS);
        i.intended = 'stopped';
        return;
      case 'kill':
        if (alive) await stopGroup(i.pid!, 'SIGKILL', 2000);
        i.intended = 'exited';
        return;
      case 'pause':
        if (alive) process.kill(-i.pid!, 'SIGSTOP');
        i.intended = 'paused';
        return;
      case 'unpause':
        if (alive) process.kill(-i.pid!, 'SIGCONT');
        i.intended = 'running';
        return;
      case 'restart':
        if (alive) await stopGroup(i.pid!, i.stopSignal, STOP_GRACE_MS);
        await this.startInstance(i, spawned);
        return;
      case 'start':
        if (live === 'paused') process.kill(-i.pid!, 'SIGCONT');
        if (!alive) await this.startInstance(i, spawned);
        i.intended = 'running';
        return;
      case 'alarm':
      case 'unalarm':
        await this.rabbitmqctl(i, alarmArgs(verb, PROCESS_WATERMARK));
        return;
    }
  }

  /** rabbitmqctl against the lab's broker: its node name, epmd port and cookie (in its home). */
  private async rabbitmqctl(i: ProcessInstance, args: string[]): Promise<void> {
    const ctl = join(dirname(findBinary('rabbitmq-server', this.env) ?? '/usr/lib/rabbitmq/bin/rabbitmq-server'), 'rabbitmqctl');
    await runChildCommand(ctl, ['-n', i.env.RABBITMQ_NODENAME!, ...args], {
      // The command's own Erlang node listens on loopback too, like the broker's.
      env: { ...i.env, RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS: '', RABBITMQ_CTL_ERL_ARGS: '-kernel inet_dist_use_interface {127,0,0,1}' },
      cwd: i.cwd, code: 'FAULT',
    });
  }

  /** Starts one instance again on its old port and waits until it is healthy. */
  private async startInstance(i: ProcessInstance, saved: () => Promise<void>): Promise<void> {
    const spawned = spawnInstance(i);
    i.pid = spawned.pid;
    i.identity = identityToRecord(spawned.pid);
    i.intended = 'running';
    i.startedAt = new Date().toISOString();
    await saved();
    await this.waitHealthy(i, spawned, new AbortController().signal);
  }

  async *logs(lab: string, options: LogOptions = {}): AsyncGenerator<LogLine> {
    const state = await readState(this.dir(lab));
    if (!state) throw new LabStartError(`no lab named ${lab} is up`, 'start one with `w2meet up`');
    const instances = options.target ? resolveTarget(state.instances, options.target) : state.instances;
    capGatewayLog(state);
    // Each log's older half (FILE.1) first, so a trace or a tail that spans a rotation finds it.
    const files = (i: ProcessInstance) => [i.logFile, ...i.extraLogFiles].flatMap((f) => [`${f}.1`, f]);
    yield* readLogs(instances.map((i) => ({ instance: i.id, files: files(i) })), options);
  }
}

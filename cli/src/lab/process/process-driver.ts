import { dirname, join } from 'node:path';
import { rm } from 'node:fs/promises';
import { FaultError } from '../../errors.js';
import { runChildCommand } from '../child-command.js';
import { LAB_ENTRIES, removeLabEntries } from '../lab-folder.js';
import type * as Driver from '../lifecycle/driver.js';
import { readLogs } from '../log-files.js';
import { labDir } from '../../shared/paths.js';
import type { InstanceState, LogLine, LogOptions } from '../runtime.js';
import { completeSecrets, readSecretsFile } from '../secrets.js';
import type { LabSecrets, LabSpec } from '../spec.js';
import type { HostPort } from '../wait/probe-spec.js';
import { findBinary } from './binaries.js';
import { startCompanions, stopCompanions } from './companions.js';
import { createProcessLab } from './create-process-lab.js';
import { capGatewayLog, labFromState } from './process-lab-state.js';
import { PROCESS_WATERMARK } from './prepare.js';
import { readState, statePath, writeState, type ProcessInstance, type ProcessLabState } from './state.js';
import { logTail } from '../log-tail.js';
import { groupIsOurs, identityToRecord, instanceState, spawnInstance, stopGroup } from './supervisor.js';

const STOP_GRACE_MS = 8000;

type ProcessLab = Driver.DriverLab<ProcessInstance>;

/**
 * The lab as local processes: Postgres, Redis, RabbitMQ (with its own epmd), nginx and the built
 * services on free loopback ports, state and logs under `.w2meet/<lab>/`.
 */
export class ProcessDriver implements Driver.RuntimeDriver<ProcessInstance> {
  readonly name = 'process' as const;
  readonly store: Driver.LabStore<ProcessInstance> = {
    load: (lab) => this.load(lab),
    save: (lab, instances) => this.save(lab, instances),
    credentials: (lab) => this.credentials(lab),
  };
  readonly shown: Driver.InstanceReadout<ProcessInstance> = {
    details: (lab, i) => this.details(lab, i),
    logTail: (lab, i) => this.logTail(lab, i),
  };
  readonly broker: Driver.BrokerControl<ProcessInstance> = {
    command: (lab, i, args) => this.brokerCommand(lab, i, args),
    watermark: PROCESS_WATERMARK,
  };
  /** Labs this process created or loaded: clean-up finds a companion started before it was saved. */
  private readonly known = new Map<string, ProcessLab>();
  private saving: Promise<void> = Promise.resolve();

  constructor(
    private readonly env: NodeJS.ProcessEnv,
    private readonly isRoot: boolean,
  ) {}

  private dir(lab: string): string {
    return labDir(lab, this.env);
  }

  async available(): Promise<boolean> {
    return true;
  }

  async requireAvailable(): Promise<void> {}

  private async load(lab: string): Promise<ProcessLab | null> {
    const state = await readState(this.dir(lab));
    if (!state) return null;
    await capGatewayLog(state);
    const found = labFromState(state);
    this.known.set(lab, found);
    return found;
  }

  async create(spec: LabSpec, context: Driver.CreateContext): Promise<ProcessLab> {
    const state = await createProcessLab({ spec, dir: this.dir(spec.name), env: this.env, isRoot: this.isRoot }, context);
    const lab = labFromState(state);
    this.known.set(spec.name, lab);
    return lab;
  }

  /**
   * Writes back the given instances (or all) into the state as it is now on disk. Faults overlap (a
   * scenario restarts RabbitMQ while it kills a worker): writing back a whole state read before the
   * other fault finished would forget the new pid of what that fault started, and leave it orphaned.
   */
  private save(lab: ProcessLab, instances: ProcessInstance[] = lab.instances): Promise<void> {
    const dir = this.dir(lab.name);
    this.saving = this.saving
      .catch(() => {})
      .then(async () => {
        const current = await readState(dir);
        if (!current) return;
        // A state written before companions existed has epmd as an instance: folded into RabbitMQ's
        // companions first, or every save would add it to them once more.
        labFromState(current);
        const mine = new Map(instances.map((i) => [i.id, i]));
        current.instances = current.instances.map((i) => mine.get(i.id) ?? i);
        await writeState(dir, current);
      });
    return this.saving;
  }

  async start(_lab: ProcessLab, i: ProcessInstance): Promise<Driver.Running> {
    await startCompanions(i);
    const spawned = spawnInstance(i);
    i.pid = spawned.pid;
    i.identity = identityToRecord(spawned.pid);
    i.intended = 'running';
    i.startedAt = new Date().toISOString();
    return { exited: () => (spawned.alive() ? null : 'the process exited') };
  }

  async state(_lab: ProcessLab, i: ProcessInstance): Promise<InstanceState> {
    // A process that is gone because it was told to stop is `stopped`; gone any other way, `exited`.
    const live = instanceState(i);
    return live === 'exited' && i.intended === 'stopped' ? 'stopped' : live;
  }

  async address(_lab: ProcessLab, i: ProcessInstance): Promise<HostPort> {
    return { host: '127.0.0.1', port: i.port };
  }

  async signal(_lab: ProcessLab, i: ProcessInstance, signal: Driver.InstanceSignal): Promise<void> {
    // A pid that now names another program is left alone: that process is not the lab's.
    const ours = groupIsOurs(i);
    switch (signal) {
      case 'stop':
        if (ours) await stopGroup(i.pid!, i.stopSignal, STOP_GRACE_MS);
        i.intended = 'stopped';
        return;
      case 'kill':
        if (ours) await stopGroup(i.pid!, 'SIGKILL', 2000);
        i.intended = 'exited';
        return;
      case 'pause':
        if (ours) process.kill(-i.pid!, 'SIGSTOP');
        i.intended = 'paused';
        return;
      case 'unpause':
        if (ours) process.kill(-i.pid!, 'SIGCONT');
        i.intended = 'running';
        return;
    }
  }

  async remove(lab: string, options: { volumes: boolean }): Promise<void> {
    const dir = this.dir(lab);
    const found = this.known.get(lab) ?? (await this.load(lab));
    // Companions stop last, once everything that needed them has stopped.
    if (found) await stopCompanions(found.instances, STOP_GRACE_MS);
    this.known.delete(lab);
    await rm(statePath(dir), { force: true });
    if (options.volumes) await removeLabEntries(lab, LAB_ENTRIES.process, this.env);
  }

  private async details(_lab: ProcessLab, i: ProcessInstance): Promise<Driver.InstanceDetails> {
    return { pid: i.pid, startedAt: i.startedAt, address: `127.0.0.1:${i.port}` };
  }

  private async logTail(_lab: ProcessLab, i: ProcessInstance): Promise<string> {
    return `--- last lines of ${i.logFile} ---\n${logTail(i.logFile)}`;
  }

  async *logs(_lab: ProcessLab, instances: ProcessInstance[], options: LogOptions): AsyncGenerator<LogLine> {
    // Each log's older half (FILE.1) first, so a trace or a tail that spans a rotation finds it.
    const files = (i: ProcessInstance) => [i.logFile, ...i.extraLogFiles].flatMap((f) => [`${f}.1`, f]);
    yield* readLogs(
      instances.map((i) => ({ instance: i.id, files: files(i) })),
      options,
    );
  }

  private async credentials(lab: string): Promise<LabSecrets | null> {
    const dir = this.dir(lab);
    const state = await readState(dir);
    return state ? completeSecrets(state.secrets) : readSecretsFile(dir);
  }

  /** rabbitmqctl against the lab's broker: its node name, epmd port and cookie (in its home). */
  private async brokerCommand(_lab: ProcessLab, i: ProcessInstance, args: string[]): Promise<void> {
    const ctl = join(dirname(findBinary('rabbitmq-server', this.env) ?? '/usr/lib/rabbitmq/bin/rabbitmq-server'), 'rabbitmqctl');
    await runChildCommand(ctl, ['-n', i.env.RABBITMQ_NODENAME!, ...args], {
      // The command's own Erlang node listens on loopback too, like the broker's.
      env: { ...i.env, RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS: '', RABBITMQ_CTL_ERL_ARGS: '-kernel inet_dist_use_interface {127,0,0,1}' },
      cwd: i.cwd,
      code: 'FAULT',
    }).catch((err: Error) => {
      throw err instanceof FaultError ? err : new FaultError(err.message, "see the broker's log with `w2meet logs rabbitmq`");
    });
  }
}

export type { ProcessLabState };

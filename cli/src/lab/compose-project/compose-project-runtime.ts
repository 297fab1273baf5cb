import { FaultError, NoLabError, UsageError } from '../../errors.js';
import { stateOf } from '../docker/container-state.js';
import { containerLogs } from '../docker/docker-logs.js';
import type { EngineClient } from '../docker/engine-client.js';
import type { FaultVerb, InstanceState, LabStatus, LogLine, LogOptions, Runtime } from '../runtime.js';
import type { LabSecrets } from '../spec.js';
import { resolveTarget } from '../target.js';
import { composeDown, type ComposeCommandOptions } from './compose-command.js';
import { composeInstances, instanceStatus, publishedPorts, type ComposeInstance } from './compose-instances.js';
import { type StartWait, waitStarted } from './wait-started.js';

const STOP_SECONDS = 10;

export interface ComposeProjectRuntimeOptions {
  engine: EngineClient;
  /** The compose project name, as its containers' `com.docker.compose.project` label holds it. */
  project: string;
  /** The compose file it was brought up from; without it `down` is refused (w2meet did not start it). */
  file?: string;
  /** For `composeDown`: the environment and the compose implementation. */
  compose?: ComposeCommandOptions;
  /** How `start` and `restart` wait for a container. */
  wait?: StartWait;
}

const live = (state: InstanceState) => state === 'running' || state === 'paused';

/**
 * A W2Meet deployment someone else wrote, run by compose from their own file: w2meet finds its
 * containers by compose's labels and reads, breaks and repairs them through the Engine, as it does
 * its own lab's. It never makes or changes any of it: compose brings it up (`composeUp`) and down.
 */
export class ComposeProjectRuntime implements Runtime {
  readonly name = 'compose' as const;

  constructor(private readonly options: ComposeProjectRuntimeOptions) {}

  async up(): Promise<LabStatus> {
    throw new UsageError(
      `compose project ${this.options.project} is not started by \`w2meet up\``,
      'a compose project is brought up by `w2meet grade --compose FILE` (or by `docker compose up -d` yourself)',
    );
  }

  async down(lab: string): Promise<{ stopped: string[] }> {
    this.check(lab);
    const { file, project, engine } = this.options;
    if (!file) {
      throw new UsageError(
        `compose project ${project} was not brought up by w2meet, so w2meet does not take it down`,
        `run \`docker compose -p ${project} down\` in its folder`,
      );
    }
    const before = await composeInstances(engine, project);
    await composeDown({ ...this.options.compose, file, project });
    return { stopped: before.map((i) => i.id) };
  }

  async status(lab: string): Promise<LabStatus | null> {
    this.check(lab);
    const { engine, project } = this.options;
    if (!(await engine.ping())) return null;
    const inspected = await Promise.all(
      (await composeInstances(engine, project)).map(async (i) => {
        // A container removed between the listing and its inspection is simply not there any more.
        const info = await engine.inspect(i.containerId).catch(() => null);
        return info ? { i, info } : null;
      }),
    );
    const found = inspected.filter((x) => x !== null);
    if (!found.length) return null;
    const gateway = found.find((x) => x.i.name === 'gateway') ?? found.find((x) => /gateway|nginx/.test(x.i.name));
    const published = gateway ? publishedPorts(gateway.info)[0] : undefined;
    const created = found.map((x) => x.info.Created).sort((a, b) => Date.parse(a) - Date.parse(b))[0]!;
    return {
      lab: project,
      runtime: this.name,
      gatewayUrl: published ? `http://${published.host}:${published.port}` : '',
      createdAt: created,
      instances: found.map((x) => instanceStatus(x.i, x.info)),
    };
  }

  /** A foreign project's secrets are its own: w2meet neither has nor needs them. */
  async credentials(lab: string): Promise<LabSecrets | null> {
    this.check(lab);
    return null;
  }

  async fault(lab: string, verb: FaultVerb, target: string): Promise<string[]> {
    this.check(lab);
    if (verb === 'alarm' || verb === 'unalarm') {
      throw new FaultError(
        `${verb} is not available on compose project ${this.options.project}`,
        "a memory alarm is raised with rabbitmqctl and w2meet's own broker cookie, which only w2meet's own lab has; use stop, kill, pause or restart on rabbitmq instead",
      );
    }
    const targets = resolveTarget(await this.requireInstances(), target);
    // Every target's fault runs to its end, even when another target's fails.
    const outcomes = await Promise.allSettled(targets.map((i) => this.apply(verb, i)));
    const failed = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
    if (failed) throw failed.reason;
    return targets.map((i) => i.id);
  }

  /** What each verb means on every runtime (lifecycle/faults.ts), on a container compose made. */
  private async apply(verb: Exclude<FaultVerb, 'alarm' | 'unalarm'>, i: ComposeInstance): Promise<void> {
    const { engine } = this.options;
    const id = i.containerId;
    const state = stateOf((await engine.inspect(id)).State);
    switch (verb) {
      case 'stop':
        if (!live(state)) return;
        // A paused container's processes cannot take the stop signal until they are thawed.
        if (state === 'paused') await engine.unpause(id);
        return engine.stop(id, STOP_SECONDS);
      case 'kill':
        return live(state) ? engine.kill(id) : undefined;
      case 'pause':
        return state === 'running' ? engine.pause(id) : undefined;
      case 'unpause':
        return state === 'paused' ? engine.unpause(id) : undefined;
      case 'start':
        if (state === 'paused') return engine.unpause(id);
        if (state === 'running') return;
        return this.startAndWait(i);
      case 'restart':
        if (state === 'paused') await engine.unpause(id);
        if (live(state)) await engine.stop(id, STOP_SECONDS);
        return this.startAndWait(i);
    }
  }

  private async startAndWait(i: ComposeInstance): Promise<void> {
    await this.options.engine.start(i.containerId);
    await waitStarted(this.options.engine, i.containerId, i.id, this.options.wait);
  }

  async *logs(lab: string, options: LogOptions = {}): AsyncGenerator<LogLine> {
    this.check(lab);
    const instances = await this.requireInstances();
    const targets = options.target ? resolveTarget(instances, options.target) : instances;
    const { caseId } = options;
    // Foreign services log as they like (`[<case-id>] ...` in plain text, or JSON under any key):
    // a line belongs to a case when its id appears anywhere in it.
    for await (const entry of containerLogs(this.options.engine, targets, { ...options, caseId: undefined })) {
      if (!caseId || entry.line.includes(caseId)) yield entry;
    }
  }

  private async requireInstances(): Promise<ComposeInstance[]> {
    const { engine, project } = this.options;
    await engine.requireReachable();
    const found = await composeInstances(engine, project);
    if (!found.length) {
      throw new NoLabError(project, `bring it up with \`w2meet grade --compose FILE\`, or \`docker compose -p ${project} up -d\``);
    }
    return found;
  }

  /** One runtime drives one project: another name is a mistake of the caller's, not a lab to look for. */
  private check(lab: string): void {
    if (lab !== this.options.project) {
      throw new UsageError(
        `this runtime reads compose project ${this.options.project}, not ${lab}`,
        'name the project with --project, or open a runtime for the other one',
      );
    }
  }
}

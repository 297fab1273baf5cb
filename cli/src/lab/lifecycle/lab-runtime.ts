import { AbortedError, LabStartError, NoLabError } from '../../errors.js';
import { checkAlarmTarget } from './broker-alarm.js';
import { isPortFree } from '../free-port.js';
import type { FaultVerb, Health, InstanceStatus, LabStatus, LogLine, LogOptions, Runtime, UpOptions } from '../runtime.js';
import type { LabSecrets, LabSpec } from '../spec.js';
import { startInOrder } from './start-order.js';
import { resolveTarget } from '../target.js';
import { componentFor } from '../components/catalogue.js';
import { probeHealthy } from '../wait/probe-for.js';
import type { ProbeSpec } from '../wait/probe-spec.js';
import type { DriverInstance, DriverLab, RuntimeDriver } from './driver.js';
import { FAULTS } from './faults.js';
import { HealthGates } from './health-gates.js';
import { stopTiers } from './stop-order.js';
import { afterHealthy, waitHealthy, type HealthChecks } from './wait-healthy.js';

export interface LifecycleOptions extends HealthChecks {
  /** Health for `status`; the real probes with a short timeout by default. */
  probeHealthy?: (spec: ProbeSpec) => Promise<boolean>;
}

/**
 * A lab's whole life, written once for every runtime: `up` (the existing-lab check, the port
 * check, the start in dependency order with one health wait, clean-up on failure or interrupt),
 * `down` in reverse dependency order, `status`, the fault verbs and logs. The driver only makes,
 * starts, signals and removes instances where it runs them.
 */
export class LabRuntime<I extends DriverInstance> implements Runtime {
  constructor(
    protected readonly driver: RuntimeDriver<I>,
    private readonly checks: LifecycleOptions = {},
  ) {}

  get name() {
    return this.driver.name;
  }

  async up(spec: LabSpec, options: UpOptions = {}): Promise<LabStatus> {
    const progress = options.onProgress ?? (() => {});
    // Heard from the first line: an interrupt while images build or folders are made is not missed.
    const failed = new AbortController();
    const onAbort = () => failed.abort();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    if (options.signal?.aborted) failed.abort();
    try {
      await this.driver.requireAvailable();
      const existing = await this.driver.store.load(spec.name);
      if (existing) {
        const status = await this.statusOf(existing);
        if (status.instances.length && status.instances.every((i) => i.state === 'running' && i.health === 'healthy')) {
          progress({ type: 'info', message: `lab ${spec.name} is already up` });
          return status;
        }
        progress({ type: 'info', message: `cleaning up what an earlier run of lab ${spec.name} left behind` });
        await this.stopAll(existing);
        await this.driver.remove(spec.name, { volumes: false });
      }
      if (spec.gatewayPort !== 0 && !(await isPortFree(spec.gatewayPort))) {
        throw new LabStartError(
          `port ${spec.gatewayPort} on 127.0.0.1 is already in use`,
          'pass --port N to use another port, or run `w2meet down` if an earlier lab holds it',
        );
      }
      // What a failed creation made (a network, volumes, folders) goes again; the data stays.
      const lab = await this.driver.create(spec, { signal: failed.signal, progress }).catch(async (err: unknown) => {
        await this.driver.remove(spec.name, { volumes: false }).catch(() => {});
        throw err;
      });
      if (failed.signal.aborted) {
        await this.driver.remove(spec.name, { volumes: false });
        throw new AbortedError('interrupted while preparing the lab; nothing was started');
      }
      await this.startAll(lab, failed, options);
      return (await this.status(spec.name))!;
    } finally {
      options.signal?.removeEventListener('abort', onAbort);
    }
  }

  private async startAll(lab: DriverLab<I>, failed: AbortController, options: UpOptions): Promise<void> {
    const progress = options.onProgress ?? (() => {});
    const t0 = Date.now();
    const gates = new HealthGates(lab.instances);
    try {
      await startInOrder(
        lab.instances,
        async (instance, started) => {
          try {
            if (failed.signal.aborted) return;
            progress({ type: 'starting', id: instance.id });
            const running = await this.driver.start(lab, instance);
            instance.timeline = { started: Date.now() - t0 };
            await this.driver.store.save(lab, [instance]);
            started();
            // Probed at once (a crash shows at once); its limit counts from when its health may pass.
            const countsFrom = gates.before(instance, failed.signal);
            await waitHealthy(this.driver, lab, instance, running, failed.signal, this.checks, countsFrom);
            await afterHealthy(this.driver, lab, instance, this.checks);
            instance.timeline.healthy = Date.now() - t0;
            await this.driver.store.save(lab, [instance]);
            progress({ type: 'healthy', id: instance.id, ms: instance.timeline.healthy });
          } finally {
            gates.done(instance.id);
          }
        },
        failed,
      );
      if (failed.signal.aborted) throw new AbortedError('interrupted while starting the lab');
    } catch (err) {
      failed.abort();
      await this.stopAll(lab);
      await this.driver.remove(lab.name, { volumes: false });
      if (options.signal?.aborted) {
        throw new AbortedError(
          'interrupted while starting the lab; everything it started was stopped (its data stays until `w2meet down -v`)',
        );
      }
      throw err;
    }
    await this.driver.store.save(lab);
  }

  /**
   * Stops every instance, what waits for others first; returns every instance's id. An instance
   * that exited is told to stop too: its leader may be gone while what it started lives on (nginx's
   * workers holding the port), and the driver knows how to reach that safely.
   */
  private async stopAll(lab: DriverLab<I>): Promise<string[]> {
    for (const tier of stopTiers(lab.instances)) {
      await Promise.all(
        tier.map(async (i) => {
          const state = await this.driver.state(lab, i).catch(() => 'exited' as const);
          if (state !== 'stopped') await this.driver.signal(lab, i, 'stop').catch(() => {});
        }),
      );
    }
    return lab.instances.map((i) => i.id);
  }

  async down(lab: string, options: { volumes?: boolean } = {}): Promise<{ stopped: string[] }> {
    if (!(await this.driver.available())) return { stopped: [] };
    const found = await this.driver.store.load(lab);
    const stopped = found ? await this.stopAll(found) : [];
    await this.driver.remove(lab, { volumes: options.volumes ?? false });
    return { stopped };
  }

  async status(lab: string): Promise<LabStatus | null> {
    if (!(await this.driver.available())) return null;
    const found = await this.driver.store.load(lab);
    return found ? this.statusOf(found) : null;
  }

  private async statusOf(lab: DriverLab<I>): Promise<LabStatus> {
    const instances = await Promise.all(
      lab.instances.map(async (i): Promise<InstanceStatus> => {
        const [state, details] = await Promise.all([this.driver.state(lab, i), this.driver.shown.details(lab, i)]);
        return {
          id: i.id,
          name: i.name,
          kind: i.kind,
          replica: i.replica,
          state,
          health: state === 'running' ? await this.health(lab, i, details.engineHealth) : 'unknown',
          address: details.address,
          pid: state === 'running' || state === 'paused' ? details.pid : null,
          startedAt: details.startedAt,
          ...(details.image ? { image: details.image } : {}),
          timeline: i.timeline,
          dependsOn: i.dependsOn,
          startsAfter: i.startsAfter,
        };
      }),
    );
    return { lab: lab.name, runtime: this.driver.name, gatewayUrl: lab.gatewayUrl, createdAt: lab.createdAt, instances };
  }

  /** Health as w2meet sees it from the host, the same check on every runtime; the engine's own stands in only when it cannot probe. */
  private async health(lab: DriverLab<I>, i: I, engineHealth: Health | undefined): Promise<Health> {
    const at = await this.driver.address(lab, i);
    const needsSecrets = componentFor(i.name).kind === 'infra';
    if (!at || (needsSecrets && !lab.secrets)) return engineHealth ?? 'unknown';
    const secrets = lab.secrets ?? ({} as LabSecrets);
    return (await (this.checks.probeHealthy ?? probeHealthy)(componentFor(i.name).probe(at, secrets))) ? 'healthy' : 'unhealthy';
  }

  credentials(lab: string): Promise<LabSecrets | null> {
    return this.driver.store.credentials(lab);
  }

  async fault(lab: string, verb: FaultVerb, target: string): Promise<string[]> {
    const found = await this.requireLab(lab);
    const targets = resolveTarget(found.instances, target);
    checkAlarmTarget(
      verb,
      targets.map((i) => i.name),
    );
    // Every target's fault runs to its end and is saved, even when another target's fails.
    const outcomes = await Promise.allSettled(targets.map((i) => FAULTS[verb](this.driver, found, i, this.checks)));
    await this.driver.store.save(found, targets);
    const failed = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
    if (failed) throw failed.reason;
    return targets.map((i) => i.id);
  }

  async *logs(lab: string, options: LogOptions = {}): AsyncGenerator<LogLine> {
    const found = await this.requireLab(lab);
    const targets = options.target ? resolveTarget(found.instances, options.target) : found.instances;
    yield* this.driver.logs(found, targets, options);
  }

  private async requireLab(lab: string): Promise<DriverLab<I>> {
    await this.driver.requireAvailable();
    const found = await this.driver.store.load(lab);
    if (!found?.instances.length) throw new NoLabError(lab);
    return found;
  }
}

import { AbortedError, LabStartError } from '../../errors.js';
import { componentFor } from '../components/catalogue.js';
import type { LabSecrets } from '../spec.js';
import { probeFor as realProbeFor } from '../wait/probe-for.js';
import type { HostPort, ProbeSpec } from '../wait/probe-spec.js';
import { FatalProbeError, waitFor, type Probe } from '../wait/probes.js';
import type { DriverInstance, DriverLab, Running, RuntimeDriver } from './driver.js';

/**
 * Waits until a started instance answers its component's probe, on every runtime the same way:
 * probed from the host every 50 ms, for as long as its component may take (counted from
 * `countsFrom`, when given: see health-gates.ts); one that is gone, or never answers, fails with the
 * last lines of its log.
 */
export async function waitHealthy<I extends DriverInstance>(
  driver: RuntimeDriver<I>,
  lab: DriverLab<I>,
  instance: I,
  running: Running,
  signal: AbortSignal,
  checks: HealthChecks = {},
  countsFrom?: Promise<void>,
): Promise<void> {
  const component = componentFor(instance.name);
  const probeFor = checks.probeFor ?? realProbeFor;
  // Only the infrastructure's probes log in; a service or the gateway answers anyone.
  const secrets = lab.secrets ?? (component.kind === 'infra' ? missingSecrets(instance.id) : ({} as LabSecrets));
  let spec: ProbeSpec | null = null;
  // The address is known once it runs (a container's is given when it starts), and kept for the wait.
  const probe: Probe = async (attempt) => {
    if (!spec) {
      const at = await driver.address(lab, instance);
      if (!at) {
        if (await driver.cluster?.healthyElsewhere(lab, instance)) return;
        throw new Error('it has no address yet');
      }
      spec = component.probe(at, secrets);
    }
    await probeFor(spec)(attempt);
  };
  try {
    await running.prepared?.(signal);
    const timeoutMs = checks.startTimeoutMs?.(instance) ?? component.startTimeoutMs;
    await waitFor(probe, {
      timeoutMs,
      signal,
      exited: () => running.exited(),
      describe: instance.id,
      ...(countsFrom ? { countsFrom } : {}),
    });
  } catch (err) {
    if (signal.aborted) throw new AbortedError();
    const tail = await driver.shown.logTail(lab, instance);
    throw new LabStartError(
      `${(err as Error).message}\n${tail}`,
      err instanceof FatalProbeError ? err.hint : `see the whole log with \`w2meet logs ${instance.id}\``,
    );
  }
}

/** How instances are checked: the real probes, or what a unit test gives instead. */
export interface HealthChecks {
  probeFor?: (spec: ProbeSpec) => Probe;
  /** How long a start may take; the component's own limit by default. */
  startTimeoutMs?: (instance: DriverInstance) => number | undefined;
  /** What runs once an instance is healthy; its component's own step (the schema) by default. */
  afterHealthy?: (instance: DriverInstance, at: HostPort, secrets: LabSecrets) => Promise<void>;
}

/** Once healthy: what its component runs before anything that needs it starts (the schema). */
export async function afterHealthy<I extends DriverInstance>(
  driver: RuntimeDriver<I>,
  lab: DriverLab<I>,
  instance: I,
  checks: HealthChecks = {},
): Promise<void> {
  const step = checks.afterHealthy ?? componentFor(instance.name).afterHealthy;
  if (!step) return;
  const at = await driver.address(lab, instance);
  if (!at && driver.cluster?.tookStepItself(lab, instance)) return;
  if (!at)
    throw new LabStartError(
      `${instance.id} answered but has no address any more`,
      `it stopped as it became healthy: see \`w2meet logs ${instance.id}\``,
    );
  await step(instance, at, lab.secrets ?? missingSecrets(instance.id));
}

function missingSecrets(id: string): never {
  throw new LabStartError(
    `${id}: the lab's credentials cannot be read`,
    'run `w2meet down -v` and `w2meet up` to make the lab again with new ones',
  );
}

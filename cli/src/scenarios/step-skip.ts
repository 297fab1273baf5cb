import { routeFor } from '../profiles/routes.js';
import type { LabStatus } from '../lab/runtime.js';
import type { EngineTarget } from './engine-target.js';
import type { StepResult } from './run-results.js';
import type { Capability, RequestSpec, Step } from './scenario-types.js';

const INPUT_SKIPPED = /^its input comes from step \S+, which was skipped: /;

function rootCause(reason: string | undefined): string {
  return (reason ?? 'no reason given').replace(INPUT_SKIPPED, '');
}

/** What each kind of step needs beyond HTTP. */
function needs(step: Step): Capability[] {
  if ('fault' in step) return ['faults'];
  if ('sql' in step) return ['database'];
  if ('trace' in step) return ['logs'];
  if ('burst' in step) return step.burst.during?.length ? ['queue', 'faults'] : ['queue'];
  if ('wait' in step) return step.wait.for === 'healthy' ? ['faults'] : step.wait.for === 'queue_empty' ? ['queue'] : [];
  return [];
}

export const WHAT: Record<Capability, string> = {
  faults: 'faults (a w2meet lab, or --compose / --project)',
  queue: "the broker (a w2meet lab's)",
  logs: 'logs (a lab, a compose project, or logs.files in the profile)',
  database: "the database (a w2meet lab's Postgres)",
};

function requestsOf(step: Step): RequestSpec[] {
  if ('request' in step) return [step.request];
  if ('load' in step) return [step.load.request];
  if ('trace' in step) return [step.trace.request];
  if ('wait' in step && step.wait.request) return [step.wait.request];
  if ('wait' in step && step.wait.for === 'queue_empty') return [{ path: '/worker/stats' }];
  if ('burst' in step) return [{ method: 'POST', path: '/worker/tasks' }];
  return [];
}

/** The components a step's faults act on. */
function faultTargets(step: Step): string[] {
  if ('fault' in step) return [step.fault.target];
  if ('burst' in step) return (step.burst.during ?? []).map((f) => f.target);
  return [];
}

/**
 * Why a step cannot run on this target, or null when it can: an earlier step its input comes
 * from failed or was skipped, the target lacks what its kind needs, the deployment has no such
 * route, no such component to break, or does not say which replica answered.
 */
export async function whyStepSkipped(
  step: Step,
  target: EngineTarget,
  done: ReadonlyMap<string, StepResult>,
  status: () => Promise<LabStatus | null>,
): Promise<string | null> {
  for (const used of step.uses ?? []) {
    const earlier = done.get(used);
    if (earlier?.status === 'failed') return `its input comes from step ${used}, which failed: ${earlier.failures[0] ?? 'see that step'}`;
    // The first cause, not a chain: a step skipped for an input skipped in turn names what is missing.
    if (earlier?.status === 'skipped') return `its input comes from step ${used}, which was skipped: ${rootCause(earlier.reason)}`;
  }
  const missing = needs(step).filter((c) => !target.capabilities.has(c));
  if (missing.length) return `needs ${missing.map((c) => WHAT[c]).join(' and ')}, which this target does not offer`;
  const profile = target.profile;
  for (const r of requestsOf(step)) {
    const routed = routeFor(profile, r.method ?? 'GET', r.path);
    if ('absent' in routed) return `the deployment has no route ${routed.absent} (profile ${profile.name})`;
  }
  if ('load' in step && step.load.instances_of && profile.instance.via === 'none') {
    return `which replica answered is not observable on this deployment (profile ${profile.name} has no instance header)`;
  }
  const targets = faultTargets(step);
  if (targets.length && target.lab) {
    const lab = await status();
    const has = (t: string) => {
      const [name, replica] = t.split('#');
      return (lab?.instances ?? []).some((i) => i.name === name && (replica === undefined || i.replica === Number(replica)));
    };
    const absent = targets.filter((t) => !has(t));
    if (absent.length) return `the deployment has no ${[...new Set(absent)].join(', ')} to act on`;
  }
  return null;
}

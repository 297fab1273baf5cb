import { INFRASTRUCTURE, SERVICES } from '../lab/spec.js';
import { splitMetric, stepProducesMetric } from './metric-names.js';
import { stepKind, type Scenario, type Step } from './scenario-types.js';
import { templateNames } from './template.js';

export interface MeaningProblem {
  /** JSON pointer into the file, for the line and column. */
  pointer: string;
  message: string;
}

const COMPONENTS: readonly string[] = [...INFRASTRUCTURE, ...SERVICES, 'gateway'];
const BUILT_INS = new Set(['item', 'i', 'run']);

/**
 * What the schema cannot say: step names unique, variables defined before use, fault targets and
 * hops that exist, checks that name metrics some step produces.
 */
export function checkScenarioMeaning(scenario: Scenario): MeaningProblem | null {
  const steps: Array<{ step: Step; pointer: string }> = [
    ...(scenario.setup ?? []).map((step, i) => ({ step, pointer: `/setup/${i}` })),
    ...scenario.steps.map((step, i) => ({ step, pointer: `/steps/${i}` })),
  ];
  const kinds = new Map<string, ReturnType<typeof stepKind>>();
  const lists = new Set<string>();
  for (const { step, pointer } of steps) {
    if (kinds.has(step.name))
      return { pointer: `${pointer}/name`, message: `a step named "${step.name}" comes earlier; step names must be unique` };
    for (const [i, used] of (step.uses ?? []).entries()) {
      if (!kinds.has(used)) return { pointer: `${pointer}/uses/${i}`, message: `uses "${used}": no earlier step has that name` };
    }
    const kind = stepKind(step);
    kinds.set(step.name, kind);
    const problem = checkStep(step, pointer, lists);
    if (problem) return problem;
    if ('create_users' in step) lists.add(step.create_users.as);
  }
  for (const [i, check] of (scenario.checks ?? []).entries()) {
    for (const field of ['metric', 'than'] as const) {
      const name = check[field];
      if (!name) continue;
      const { step, metric } = splitMetric(name);
      const kind = kinds.get(step);
      if (!kind) return { pointer: `/checks/${i}/${field}`, message: `"${name}": no step is named "${step}"` };
      if (!stepProducesMetric(kind, metric)) {
        return { pointer: `/checks/${i}/${field}`, message: `"${name}": a ${kind} step produces no metric "${metric}"` };
      }
    }
  }
  return null;
}

function checkStep(step: Step, pointer: string, lists: Set<string>): MeaningProblem | null {
  const usesList = (name: string, at: string): MeaningProblem | null =>
    lists.has(name) ? null : { pointer: at, message: `"${name}" is not a list of users made by an earlier create_users step` };
  const checkTarget = (target: string, at: string): MeaningProblem | null =>
    COMPONENTS.includes(target.split('#')[0]!)
      ? null
      : { pointer: at, message: `"${target}" is not a part of the lab; parts: ${COMPONENTS.join(', ')}` };

  if ('request' in step && step.request.for_each) {
    const p = usesList(step.request.for_each, `${pointer}/request/for_each`);
    if (p) return p;
  }
  if ('burst' in step) {
    const p = usesList(step.burst.users, `${pointer}/burst/users`);
    if (p) return p;
    for (const [i, f] of (step.burst.during ?? []).entries()) {
      const q = checkTarget(f.target, `${pointer}/burst/during/${i}/target`);
      if (q) return q;
    }
  }
  if ('fault' in step) return checkTarget(step.fault.target, `${pointer}/fault/target`);
  if ('trace' in step) {
    for (const [i, hop] of step.trace.hops.entries()) {
      const p = checkTarget(hop, `${pointer}/trace/hops/${i}`);
      if (p) return p;
    }
  }
  // Every placeholder must name a list made earlier or a built-in.
  for (const name of templateNames(JSON.stringify(step))) {
    const root = name.split('.')[0]!;
    if (!BUILT_INS.has(root) && !lists.has(root)) {
      return { pointer, message: `"{{${name}}}" names no variable; known: ${[...BUILT_INS, ...lists].join(', ')}` };
    }
  }
  return null;
}

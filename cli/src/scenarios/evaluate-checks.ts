import { splitMetric } from './metric-names.js';
import type { CheckResult, StepResult } from './run-results.js';
import type { CheckOp, CheckSpec } from './scenario-types.js';

const COMPARE: Record<CheckOp, (a: number, b: number) => boolean> = {
  '<': (a, b) => a < b,
  '<=': (a, b) => a <= b,
  '>': (a, b) => a > b,
  '>=': (a, b) => a >= b,
  '==': (a, b) => a === b,
  '!=': (a, b) => a !== b,
};

/**
 * A metric's value, or why there is none. Counts of outcomes that never happened (no 5xx, no
 * BYPASS) are zero, not missing; a latency with no samples is missing, and fails the check.
 */
function metricValue(
  name: string,
  steps: Map<string, StepResult>,
  unobserved: Unobserved,
): { value: number } | { reason: string; skipped?: true } {
  const { step, metric } = splitMetric(name);
  // What the deployment does not let anyone see is not measured here, not zero and not a failure.
  const unseen = unobserved(metric);
  if (unseen) return { reason: unseen, skipped: true };
  const result = steps.get(step);
  if (!result) return { reason: `step "${step}" did not run`, skipped: true };
  if (result.status === 'skipped') return { reason: `step "${step}" was skipped: ${result.reason ?? 'no reason given'}`, skipped: true };
  const value = result.metrics[metric];
  if (value !== undefined) return { value };
  if (/^(status|cache)\.[^.]+\.(count|ratio)$/.test(metric)) return { value: 0 };
  return { reason: `step "${step}" produced no samples for ${metric}` };
}

/** Why a metric cannot be observed on this target (no cache outcome, no server time seen), or null. */
export type Unobserved = (metric: string) => string | null;

export function evaluateCheck(check: CheckSpec, steps: Map<string, StepResult>, unobserved: Unobserved = () => null): CheckResult {
  const base = {
    metric: check.metric,
    op: check.op,
    than: check.than,
    because: check.because,
    ...(check.load ? { load: true as const } : {}),
  };
  const actual = metricValue(check.metric, steps, unobserved);
  const skipped = (r: { skipped?: true }) => (r.skipped ? { skipped: true } : {});
  if ('reason' in actual)
    return { ...base, actual: null, expected: check.value ?? null, passed: false, ...skipped(actual), reason: actual.reason };
  let expected: number;
  if (check.than) {
    const other = metricValue(check.than, steps, unobserved);
    if ('reason' in other) return { ...base, actual: actual.value, expected: null, passed: false, ...skipped(other), reason: other.reason };
    expected = other.value * (check.factor ?? 1);
  } else expected = check.value!;
  return { ...base, actual: actual.value, expected, passed: COMPARE[check.op](actual.value, expected) };
}

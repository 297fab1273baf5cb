import type { LabStatus } from '../lab/runtime.js';
import type { Clock } from './clock.js';
import { httpFor, type EngineTarget } from './engine-target.js';
import type { EngineListener } from './engine-events.js';
import { evaluateCheck } from './evaluate-checks.js';
import { FaultLedger } from './fault-ledger.js';
import type { FaultRecord, ScenarioResult, StepResult } from './run-results.js';
import { stepKind, type Scenario, type Step } from './scenario-types.js';
import type { StepContext, StepOutcome } from './step-context.js';
import { runBurstStep } from './steps/burst-step.js';
import { runCreateUsersStep } from './steps/create-users-step.js';
import { runFaultStep } from './steps/fault-step.js';
import { runLoadStep } from './steps/load-step.js';
import { runRequestStep } from './steps/request-step.js';
import { runSqlStep } from './steps/sql-step.js';
import { runTraceStep } from './steps/trace-step.js';
import { runWaitStep } from './steps/wait-step.js';
import { whyNotRunnable } from './runnable.js';
import { whyStepSkipped } from './step-skip.js';
import { unobservedOn } from './observe-answers.js';

function runStep(step: Step, ctx: StepContext): Promise<StepOutcome> {
  if ('request' in step) return runRequestStep(step, ctx);
  if ('load' in step) return runLoadStep(step, ctx);
  if ('fault' in step) return runFaultStep(step, ctx);
  if ('wait' in step) return runWaitStep(step, ctx);
  if ('burst' in step) return runBurstStep(step, ctx);
  if ('trace' in step) return runTraceStep(step, ctx);
  if ('sql' in step) return runSqlStep(step, ctx);
  return runCreateUsersStep(step, ctx);
}

/** A step that did not run, and why. */
function skippedStep(name: string, kind: StepResult['kind'], phase: StepResult['phase'], startedMs: number, why: string): StepResult {
  return {
    name,
    kind,
    phase,
    status: 'skipped',
    reason: why,
    startedMs,
    durationMs: 0,
    metrics: {},
    histograms: {},
    series: {},
    failures: [],
  };
}

export interface ScenarioRunOptions {
  scenario: Scenario;
  file: string;
  runId: string;
  target: EngineTarget;
  status: () => Promise<LabStatus | null>;
  clock: Clock;
  emit: EngineListener;
  signal: AbortSignal;
}

/**
 * Runs one scenario: setup, then its steps in order (a failed setup step stops it; a failed step
 * does not, so later steps still measure), then its checks. Every fault still open at the end is
 * undone whatever happened; the runtime's `start` returns once the part is healthy again.
 */
export async function runScenario(options: ScenarioRunOptions): Promise<ScenarioResult> {
  const { scenario, runId, target, clock, emit, signal } = options;
  const startedAt = new Date().toISOString();
  const t0 = clock.nowUs();
  const sinceStart = () => (clock.nowUs() - t0) / 1000;
  const faults: FaultRecord[] = [];
  const result: ScenarioResult = {
    name: scenario.name,
    description: scenario.description,
    kgs: scenario.kgs,
    claims: scenario.claims ?? [],
    file: options.file,
    status: 'passed',
    startedAt,
    durationMs: 0,
    steps: [],
    checks: [],
    faults,
  };
  const skip = await whyNotRunnable(scenario, target, options.status);
  if (skip) {
    result.status = 'skipped';
    result.reason = skip;
    emit({ type: 'scenario-end', result });
    return result;
  }
  emit({ type: 'scenario-start', scenario: scenario.name, steps: (scenario.setup?.length ?? 0) + scenario.steps.length });
  const ledger = target.lab
    ? new FaultLedger(target.lab.runtime, target.lab.name, sinceStart, (fault) => {
        faults.push(fault);
        emit({ type: 'fault', scenario: scenario.name, fault });
      })
    : undefined;
  const http = httpFor(target, clock, 8);
  const ctx: StepContext = {
    scenario: scenario.name,
    runId,
    clock,
    http,
    target,
    vars: { run: runId },
    faults: ledger,
    status: options.status,
    signal,
    sample: (step, latencyMs, status, cache) => emit({ type: 'sample', scenario: scenario.name, step, latencyMs, status, cache }),
  };
  const phases = [
    ...(scenario.setup ?? []).map((step) => ({ step, phase: 'setup' as const })),
    ...scenario.steps.map((step) => ({ step, phase: 'steps' as const })),
  ];
  const done = new Map<string, StepResult>();
  try {
    for (const { step, phase } of phases) {
      if (signal.aborted) break;
      const kind = stepKind(step);
      const startedMs = sinceStart();
      const skip = await whyStepSkipped(step, target, done, options.status);
      if (skip) {
        const skipped = skippedStep(step.name, kind, phase, startedMs, skip);
        result.steps.push(skipped);
        done.set(step.name, skipped);
        emit({ type: 'step-end', scenario: scenario.name, result: skipped });
        // Without its setup the scenario has nothing to measure with.
        if (phase === 'setup') break;
        continue;
      }
      emit({ type: 'step-start', scenario: scenario.name, step: step.name, kind });
      let outcome: StepOutcome;
      try {
        outcome = await runStep(step, ctx);
      } catch (err) {
        outcome = { metrics: {}, failures: [(err as Error).message] };
      }
      const failures = outcome.failures ?? [];
      const stepResult: StepResult = {
        name: step.name,
        kind,
        phase,
        status: failures.length ? 'failed' : 'passed',
        startedMs,
        durationMs: sinceStart() - startedMs,
        metrics: outcome.metrics,
        histograms: outcome.histograms ?? {},
        series: outcome.series ?? {},
        failures,
        ...(outcome.logs ? { logs: outcome.logs } : {}),
      };
      result.steps.push(stepResult);
      done.set(step.name, stepResult);
      emit({ type: 'step-end', scenario: scenario.name, result: stepResult });
      if (stepResult.status === 'failed' && phase === 'setup') {
        result.reason = `setup step "${step.name}" failed: ${failures[0]}`;
        break;
      }
    }
  } finally {
    const problems = ledger ? await ledger.undoAll() : [];
    if (problems.length) result.reason = `could not undo: ${problems.join('; ')}`;
    await http.close();
  }
  // Nothing measured at all: the scenario is skipped, with its steps' reasons, not passed.
  const measured = result.steps.filter((s) => s.phase === 'steps' && s.status !== 'skipped');
  const skippedSetup = result.steps.find((s) => s.phase === 'setup' && s.status === 'skipped');
  const failedStep = result.steps.some((s) => s.status === 'failed');
  if (!signal.aborted && !failedStep && result.reason === undefined && (skippedSetup || !measured.length)) {
    result.status = 'skipped';
    result.reason = skippedSetup
      ? `setup step "${skippedSetup.name}" was skipped: ${skippedSetup.reason}`
      : `every step was skipped: ${[...new Set(result.steps.filter((s) => s.status === 'skipped').map((s) => s.reason))].join('; ')}`;
    result.durationMs = sinceStart();
    emit({ type: 'scenario-end', result });
    return result;
  }
  const byName = new Map(result.steps.map((s) => [s.name, s]));
  const unobserved = unobservedOn(target);
  // Checks of a scenario whose setup failed would only repeat that failure.
  const setupFailed = result.steps.some((s) => s.phase === 'setup' && s.status === 'failed');
  for (const check of setupFailed ? [] : (scenario.checks ?? [])) {
    const checked = evaluateCheck(check, byName, unobserved);
    result.checks.push(checked);
    emit({ type: 'check', scenario: scenario.name, result: checked });
  }
  const anyFailed =
    result.steps.some((s) => s.status === 'failed') || result.checks.some((c) => !c.passed && !c.skipped) || result.reason !== undefined;
  result.status = signal.aborted || anyFailed ? 'failed' : 'passed';
  if (signal.aborted) result.reason ??= 'interrupted';
  result.durationMs = sinceStart();
  emit({ type: 'scenario-end', result });
  return result;
}

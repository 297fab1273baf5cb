import { setTimeout as sleep } from 'node:timers/promises';
import { resolveTarget } from '../../lab/target.js';
import { unmetExpectation } from '../expectations.js';
import type { WaitStep } from '../scenario-types.js';
import { caseIdFor, type StepContext, type StepOutcome } from '../step-context.js';
import { fill } from '../template.js';
import { outgoing } from './outgoing.js';
import { cacheObservable, logMarkFor, observeAnswers } from '../observe-answers.js';

const POLL_MS = 100;

/** One look at the condition: null when it holds, else what is still missing. */
type Probe = () => Promise<string | null>;

function probeFor(step: WaitStep, ctx: StepContext): Probe {
  const wait = step.wait;
  let attempt = 0;
  if (wait.for === 'request') {
    // The logs are read only where the expectation needs what they tell (the cache outcome), and
    // only once the rest of it is met: a wait is not slowed by a log read on every failed poll.
    const needsCache = Object.keys(wait.request!.expect?.headers ?? {}).some((h) => h.toLowerCase() === 'x-cache');
    return async () => {
      const caseId = caseIdFor(ctx.runId, step.name, attempt++);
      const expect = fill(wait.request!.expect, ctx.vars);
      const mark = needsCache ? await logMarkFor(ctx) : undefined;
      const req = outgoing(wait.request!, ctx.vars, caseId);
      const ex = await ctx.http.send(req);
      if (mark && unmetExpectation(ex, { ...expect, headers: {} }) === null)
        await observeAnswers(ctx, mark, [{ caseId, path: req.path, ex }]);
      return unmetExpectation(ex, expect, cacheObservable(ctx));
    };
  }
  if (wait.for === 'queue_empty') {
    let emptyInARow = 0;
    return async () => {
      const ex = await ctx.http.send({
        method: 'GET',
        path: '/worker/stats',
        headers: { 'Case-ID': caseIdFor(ctx.runId, step.name, attempt++) },
      });
      const depth = ex.status === 200 ? (JSON.parse(ex.text) as { queue_depth: number | null }).queue_depth : null;
      // Two empty readings in a row: one can fall between a redelivery and its consumption.
      emptyInARow = depth === 0 ? emptyInARow + 1 : 0;
      return emptyInARow >= 2 ? null : `queue depth ${depth ?? 'unknown'}`;
    };
  }
  return async () => {
    const status = await ctx.status();
    if (!status) {
      const ex = await ctx.http.send({ method: 'GET', path: '/health', headers: {} });
      return ex.status === 200 ? null : `the gateway answers /health with ${ex.status || ex.error}`;
    }
    const instances = wait.target ? resolveTarget(status.instances, wait.target) : status.instances;
    const sick = instances.filter((i) => i.health !== 'healthy' || i.state !== 'running');
    return sick.length ? `not healthy yet: ${sick.map((i) => i.id).join(', ')}` : null;
  };
}

/** Polls a condition until it holds; past the timeout the step fails with what was still missing. */
export async function runWaitStep(step: WaitStep, ctx: StepContext): Promise<StepOutcome> {
  const probe = probeFor(step, ctx);
  const start = ctx.clock.nowUs();
  const deadline = start + step.wait.timeout_ms * 1000;
  let missing: string | null = 'not checked';
  while (!ctx.signal.aborted) {
    missing = await probe().catch((err: Error) => err.message);
    if (!missing || ctx.clock.nowUs() > deadline) break;
    await sleep(POLL_MS);
  }
  const waited = (ctx.clock.nowUs() - start) / 1000;
  return {
    metrics: { waited_ms: waited },
    failures: missing ? [`gave up after ${Math.round(waited)} ms: ${missing}`] : [],
  };
}

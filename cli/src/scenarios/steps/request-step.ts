import { ExchangeRecorder } from '../exchange-recorder.js';
import { unmetExpectation } from '../expectations.js';
import type { Observed } from '../../profiles/log-observations.js';
import { cacheObservable, logMarkFor, observeAnswers } from '../observe-answers.js';
import type { RequestStep } from '../scenario-types.js';
import { caseIdFor, type StepContext, type StepOutcome } from '../step-context.js';
import { fill } from '../template.js';
import { outgoing } from './outgoing.js';

/**
 * Sends a request once, `count` times or once per item of a list, one after another. Answers are
 * judged once what the deployment's logs say of them has been read (where its headers say nothing).
 */
export async function runRequestStep(step: RequestStep, ctx: StepContext): Promise<StepOutcome> {
  const { for_each: forEach, count, ...spec } = step.request;
  const items = forEach ? (ctx.vars[forEach] as unknown[]) : undefined;
  const n = items ? items.length : (count ?? 1);
  const recorder = new ExchangeRecorder();
  const mark = await logMarkFor(ctx);
  const answers: Array<Observed & { expect: typeof spec.expect }> = [];
  const start = ctx.clock.nowUs();
  for (let i = 0; i < n && !ctx.signal.aborted; i++) {
    const vars = { ...ctx.vars, i, item: items?.[i] };
    const caseId = caseIdFor(ctx.runId, step.name, i);
    const req = outgoing(spec, vars, caseId);
    const ex = await ctx.http.send(req);
    answers.push({ caseId, path: req.path, ex, expect: fill(spec.expect, vars) });
    ctx.sample(step.name, ex.latencyMs, ex.status, ex.cache);
  }
  const durationMs = (ctx.clock.nowUs() - start) / 1000;
  const observed = await observeAnswers(ctx, mark, answers);
  const seeCache = cacheObservable(ctx);
  for (const a of answers) recorder.record(a.ex, unmetExpectation(a.ex, a.expect, seeCache));
  return { metrics: { ...recorder.metrics(durationMs), ...observed }, histograms: recorder.histograms(), failures: recorder.failures };
}

import { ExchangeRecorder } from '../exchange-recorder.js';
import { unmetExpectation } from '../expectations.js';
import type { RequestStep } from '../scenario-types.js';
import { caseIdFor, type StepContext, type StepOutcome } from '../step-context.js';
import { fill } from '../template.js';
import { outgoing } from './outgoing.js';

/** Sends a request once, `count` times or once per item of a list, one after another. */
export async function runRequestStep(step: RequestStep, ctx: StepContext): Promise<StepOutcome> {
  const { for_each: forEach, count, ...spec } = step.request;
  const items = forEach ? (ctx.vars[forEach] as unknown[]) : undefined;
  const n = items ? items.length : (count ?? 1);
  const recorder = new ExchangeRecorder();
  const start = ctx.clock.nowUs();
  for (let i = 0; i < n && !ctx.signal.aborted; i++) {
    const vars = { ...ctx.vars, i, item: items?.[i] };
    const ex = await ctx.http.send(outgoing(spec, vars, caseIdFor(ctx.runId, step.name, i)));
    recorder.record(ex, unmetExpectation(ex, fill(spec.expect, vars)));
    ctx.sample(step.name, ex.latencyMs, ex.status, ex.cache);
  }
  const durationMs = (ctx.clock.nowUs() - start) / 1000;
  return { metrics: recorder.metrics(durationMs), histograms: recorder.histograms(), failures: recorder.failures };
}

import { runClosedLoop } from '../closed-loop.js';
import { ExchangeRecorder } from '../exchange-recorder.js';
import { unmetExpectation } from '../expectations.js';
import { httpFor } from '../engine-target.js';
import { runOpenLoop } from '../open-loop.js';
import type { LoadStep } from '../scenario-types.js';
import { caseIdFor, type StepContext, type StepOutcome } from '../step-context.js';
import { PlaceholderError } from '../../errors.js';
import { fill } from '../template.js';
import { cycleOrder } from './cycle-order.js';
import { outgoing, variesPerSend } from './outgoing.js';
import type { Observed } from '../../profiles/log-observations.js';
import { cacheObservable, logMarkFor, observeAnswers } from '../observe-answers.js';

const DEFAULT_MAX_IN_FLIGHT = 256;

/** The instance ids the lab runs for a component, so a replica that never answered still counts. */
async function expectedInstances(ctx: StepContext, component: string | undefined): Promise<string[] | undefined> {
  if (!component) return undefined;
  const status = await ctx.status();
  if (!status) return [];
  return status.instances.filter((i) => i.name === component).map((i) => i.id);
}

/** A list variable a load cycles through; one that is missing or empty is a mistake in the file. */
function listOf(ctx: StepContext, name: string): unknown[] {
  const list = ctx.vars[name];
  if (!Array.isArray(list) || list.length === 0) throw new PlaceholderError(name);
  return list;
}

/**
 * Load at a fixed arrival rate (open loop, `rate`) or from a number of busy connections (closed
 * loop, `connections`), for a count or a duration. Each step has its own connection pool sized to
 * its concurrency, so one step's connections do not queue behind another's.
 */
export async function runLoadStep(step: LoadStep, ctx: StepContext): Promise<StepOutcome> {
  const load = step.load;
  const expected = await expectedInstances(ctx, load.instances_of);
  const recorder = new ExchangeRecorder();
  const open = load.rate !== undefined;
  const maxInFlight = load.max_in_flight ?? DEFAULT_MAX_IN_FLIGHT;
  const http = httpFor(ctx.target, ctx.clock, open ? Math.min(maxInFlight, 128) : load.connections!);
  const cycled = load.cycle ? listOf(ctx, load.cycle.over) : undefined;
  const order = cycled ? cycleOrder(cycled.length, load.cycle!.repeat ?? 1, load.cycle!.apart ?? 1) : [];
  const perSend = cycled !== undefined || variesPerSend(load.request);
  const fixed = perSend ? undefined : outgoing(load.request, ctx.vars, '');
  const expect = fill(load.request.expect, ctx.vars);
  const seeCache = cacheObservable(ctx);
  // Where the logs say what the headers do not, answers are judged once the logs are read.
  const mark = await logMarkFor(ctx);
  const answers: Observed[] = [];
  const send = async (startUs: number, i: number) => {
    const caseId = caseIdFor(ctx.runId, step.name, i);
    const item = cycled?.[order[i % order.length]!];
    const req = fixed
      ? { ...fixed, headers: { ...fixed.headers, 'Case-ID': caseId } }
      : outgoing(load.request, { ...ctx.vars, i, item }, caseId);
    const ex = await http.send(req, startUs);
    if (mark) answers.push({ caseId, path: req.path, ex });
    else recorder.record(ex, unmetExpectation(ex, expect, seeCache));
    ctx.sample(step.name, ex.latencyMs, ex.status, ex.cache);
  };
  const start = ctx.clock.nowUs();
  let dropped = 0;
  let maxLagUs = 0;
  let sendErrors: string[] = [];
  let sendErrorCount = 0;
  try {
    if (open) {
      const total = load.count ?? Math.floor((load.rate! * load.duration_ms!) / 1000);
      const result = await runOpenLoop({ rate: load.rate!, total, maxInFlight, clock: ctx.clock, send, signal: ctx.signal });
      dropped = result.dropped;
      maxLagUs = result.maxLagUs;
      sendErrorCount = result.errors;
      sendErrors = result.errorMessages;
    } else {
      await runClosedLoop({
        connections: load.connections!,
        total: load.count,
        durationUs: load.duration_ms === undefined ? undefined : load.duration_ms * 1000,
        clock: ctx.clock,
        send,
        signal: ctx.signal,
      });
    }
  } finally {
    await http.close();
  }
  const durationMs = (ctx.clock.nowUs() - start) / 1000;
  const observed = await observeAnswers(ctx, mark, answers);
  for (const a of answers) recorder.record(a.ex, unmetExpectation(a.ex, expect, seeCache));
  const metrics = { ...recorder.metrics(durationMs, expected), ...observed };
  if (open) {
    metrics.dropped = dropped;
    metrics.dropped_ratio = dropped / Math.max(1, dropped + recorder.count);
    metrics.send_errors = sendErrorCount;
    // How far behind its schedule the sender fell at worst: a large lag means the load generator, not the lab, set the pace.
    metrics.max_lag_ms = maxLagUs / 1000;
  }
  const failures = [...recorder.failures];
  if (sendErrorCount) failures.push(`${sendErrorCount} sends failed inside the engine, e.g. ${sendErrors.join('; ')}`);
  return { metrics, histograms: recorder.histograms(), failures };
}

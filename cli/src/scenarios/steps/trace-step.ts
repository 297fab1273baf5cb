import { setTimeout as sleep } from 'node:timers/promises';
import { MissingCapabilityError } from '../../errors.js';
import { componentOfInstance, hopMs } from '../../lab/request-record.js';
import type { LogLine } from '../../lab/runtime.js';
import { caseIdOfLine, observeLine } from '../../profiles/log-observations.js';
import type { LogRecord } from '../run-results.js';
import type { TraceStep } from '../scenario-types.js';
import { caseIdFor, type StepContext, type StepOutcome } from '../step-context.js';
import { outgoing } from './outgoing.js';

/** A hop's own time: a structured `request completed` record's, else what the profile's pattern reads. */
function lineMs(ctx: StepContext, line: LogLine): number | undefined {
  if (line.record) return line.record.msg === 'request completed' ? hopMs(line.record) : undefined;
  return observeLine(ctx.target.profile, line)?.ms;
}

/**
 * Sends one request under a fresh Case-ID, then reads the deployment's logs (a lab's, a compose
 * project's or files) until every named hop has logged it (or the time is up), keeping each hop's
 * lines and its own time for the report.
 */
export async function runTraceStep(step: TraceStep, ctx: StepContext): Promise<StepOutcome> {
  const logs = ctx.target.logs;
  if (!logs) throw new MissingCapabilityError("tracing reads the deployment's logs; this target has none", 'logs');
  const caseId = caseIdFor(ctx.runId, step.name);
  const mark = await logs.mark();
  const ex = await ctx.http.send(outgoing(step.trace.request, ctx.vars, caseId));
  const failures: string[] = [];
  if (ex.error || ex.status >= 400) failures.push(`the traced request answered ${ex.status || ex.error}`);
  const deadline = ctx.clock.nowUs() + (step.trace.timeout_ms ?? 10_000) * 1000;
  let lines: LogLine[] = [];
  let missing = step.trace.hops;
  for (;;) {
    lines = (await logs.since(mark, ctx.signal)).filter((l) => caseIdOfLine(ctx.target.profile, l) === caseId);
    const seen = new Set(lines.map((l) => componentOfInstance(l.instance)));
    missing = step.trace.hops.filter((h) => !seen.has(h));
    if (!missing.length || ctx.clock.nowUs() > deadline || ctx.signal.aborted) break;
    await sleep(250);
  }
  const metrics: Record<string, number> = {
    hops_seen: step.trace.hops.length - missing.length,
    hops_missing: missing.length,
    total_ms: ex.latencyMs,
  };
  for (const line of lines) {
    const ms = lineMs(ctx, line);
    const hop = componentOfInstance(line.instance);
    // The first completed request of a hop is the traced one; a worker's later calls keep their own.
    if (ms !== undefined && metrics[`hop.${hop}.ms`] === undefined) metrics[`hop.${hop}.ms`] = ms;
  }
  if (missing.length) failures.push(`no log line with Case-ID ${caseId} from ${missing.join(', ')}`);
  // Plain-text lines are kept as records too, so the report shows what each hop wrote.
  const kept: LogRecord[] = lines.map((l) => ({ instance: l.instance, record: l.record ?? { msg: l.line, case_id: caseId } }));
  return { metrics, failures, logs: kept };
}

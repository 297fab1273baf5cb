import { setTimeout as sleep } from 'node:timers/promises';
import { MissingCapabilityError } from '../../errors.js';
import { componentOfInstance, hopMs } from '../../lab/request-record.js';
import type { LogLine } from '../../lab/runtime.js';
import type { LogRecord } from '../run-results.js';
import type { TraceStep } from '../scenario-types.js';
import { caseIdFor, type StepContext, type StepOutcome } from '../step-context.js';
import { outgoing } from './outgoing.js';

async function collect(ctx: StepContext, caseId: string, since: Date): Promise<LogLine[]> {
  const lab = ctx.target.lab!;
  const lines: LogLine[] = [];
  for await (const line of lab.runtime.logs(lab.name, { caseId, since, signal: ctx.signal })) lines.push(line);
  return lines;
}

/**
 * Sends one request under a fresh Case-ID, then reads the lab's logs until every named hop has
 * logged it (or the time is up), keeping each hop's records and its own time for the report.
 */
export async function runTraceStep(step: TraceStep, ctx: StepContext): Promise<StepOutcome> {
  if (!ctx.target.lab) throw new MissingCapabilityError("tracing reads the lab's logs; this target has none", 'logs');
  const caseId = caseIdFor(ctx.runId, step.name);
  // A second of slack: log times are the lab's clock, read to the second.
  const since = new Date(Date.now() - 1000);
  const ex = await ctx.http.send(outgoing(step.trace.request, ctx.vars, caseId));
  const failures: string[] = [];
  if (ex.error || ex.status >= 400) failures.push(`the traced request answered ${ex.status || ex.error}`);
  const deadline = ctx.clock.nowUs() + (step.trace.timeout_ms ?? 10_000) * 1000;
  let lines: LogLine[] = [];
  let missing = step.trace.hops;
  for (;;) {
    lines = await collect(ctx, caseId, since);
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
    const ms = line.record && line.record.msg === 'request completed' ? hopMs(line.record) : undefined;
    const hop = componentOfInstance(line.instance);
    // The first completed request of a hop is the traced one; a worker's later calls keep their own.
    if (ms !== undefined && metrics[`hop.${hop}.ms`] === undefined) metrics[`hop.${hop}.ms`] = ms;
  }
  if (missing.length) failures.push(`no log line with Case-ID ${caseId} from ${missing.join(', ')}`);
  const logs: LogRecord[] = lines.filter((l) => l.record).map((l) => ({ instance: l.instance, record: l.record! }));
  return { metrics, failures, logs };
}

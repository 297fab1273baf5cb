import { setTimeout as sleep } from 'node:timers/promises';
import { MissingCapabilityError } from '../../errors.js';
import { CompletionListener } from '../completion-listener.js';
import { ExchangeRecorder } from '../exchange-recorder.js';
import { undoVerb } from '../fault-ledger.js';
import { httpFor } from '../engine-target.js';
import { LatencyHistogram } from '../latency-histogram.js';
import { runOpenLoop } from '../open-loop.js';
import type { BurstStep } from '../scenario-types.js';
import { caseIdFor, type StepContext, type StepOutcome } from '../step-context.js';
import type { MadeUser } from './create-users-step.js';
import { DepthSampler } from './depth-sampler.js';

const DEFAULT_DRAIN_TIMEOUT_MS = 120_000;
/** A queue this deep counts as deep: enqueue latency then is the claim "the API does not block". */
const DEFAULT_DEEP_DEPTH = 500;
const MAX_IN_FLIGHT = 256;
/**
 * A send that was not accepted (an answer other than 202, no answer, or dropped because the API
 * was too far behind) counts against "the API answers at once" as the slowest answer there is:
 * the client's own timeout. Leaving it out would let a refusing API look fast.
 */
export const NOT_ACCEPTED_MS = 10_000;

/**
 * Sends `jobs` tasks at a fixed rate, applying the `during` faults on their schedule, then waits
 * for every accepted job's completion event. Lost jobs are those answered 202 that never complete;
 * duplicates are completions beyond the first of a job (at-least-once delivery makes them legal).
 */
export async function runBurstStep(step: BurstStep, ctx: StepContext): Promise<StepOutcome> {
  const burst = step.burst;
  const amqpUrl = ctx.target.lab?.amqpUrl;
  if (!amqpUrl) throw new MissingCapabilityError("counting completions needs the lab's broker, which cannot be reached from here", 'queue');
  const users = ctx.vars[burst.users] as MadeUser[];
  const listener = new CompletionListener(ctx.target.lab?.currentAmqpUrl ?? amqpUrl, `${ctx.runId}-${step.name}`);
  await listener.connect();
  const http = httpFor(ctx.target, ctx.clock, 64);
  // Jobs completed, each once (a redelivered job completes twice).
  const sampler = new DepthSampler(ctx.http, ctx.clock, () => listener.byJob().size);
  const recorder = new ExchangeRecorder();
  const deep = new LatencyHistogram();
  const shallow = new LatencyHistogram();
  const notAccepted = { deep: 0, shallow: 0 };
  const deepFrom = burst.deep_depth ?? DEFAULT_DEEP_DEPTH;
  const warmup = burst.warmup_jobs ?? 0;
  // The population of a send is the queue's depth when it was sent (the last reading, at most 250 ms old).
  const population = (i: number, depthAtSend: number, ms: number, accepted: boolean) => {
    if (i < warmup) return;
    const which = depthAtSend >= deepFrom ? 'deep' : 'shallow';
    (which === 'deep' ? deep : shallow).recordMs(accepted ? ms : NOT_ACCEPTED_MS);
    if (!accepted) notAccepted[which]++;
  };
  const accepted = new Set<string>();
  let refused = 0;
  const failures: string[] = [];
  const start = ctx.clock.nowUs();
  // Settled from the start: a fault that fails while the sends go on is a step failure to report
  // at the end, never an unhandled rejection that ends the whole run.
  const faults = Promise.allSettled(
    (burst.during ?? []).map(async (f) => {
      await sleep(f.after_ms, undefined, { signal: ctx.signal });
      await ctx.faults!.apply(f.verb, f.target);
      if (f.duration_ms !== undefined) {
        await sleep(f.duration_ms, undefined, { signal: ctx.signal });
        const undo = undoVerb(f.verb);
        if (undo) await ctx.faults!.apply(undo, f.target, true);
      }
    }),
  );
  try {
    sampler.start();
    const sent = await runOpenLoop({
      rate: burst.rate,
      total: burst.jobs,
      maxInFlight: MAX_IN_FLIGHT,
      clock: ctx.clock,
      signal: ctx.signal,
      onDropped: (_intendedUs, i) => population(i, sampler.depth, 0, false),
      send: async (intendedUs, i) => {
        const depthAtSend = sampler.depth;
        const body = { userId1: users[i % users.length]!.id, userId2: users[(i + 1) % users.length]!.id };
        const ex = await http.send(
          { method: 'POST', path: '/worker/tasks', headers: { 'Case-ID': caseIdFor(ctx.runId, step.name, i) }, body },
          intendedUs,
        );
        // A 5xx or no answer is a refusal: no promise was made, so the job cannot be lost. Anything
        // else but 202 breaks the contract.
        const refusal = ex.status === 0 || ex.status >= 500;
        if (refusal) refused++;
        recorder.record(ex, ex.status === 202 || refusal ? null : `POST /worker/tasks answered ${ex.status}`);
        if (ex.status === 202) accepted.add((JSON.parse(ex.text) as { job_id: string }).job_id);
        population(i, depthAtSend, ex.latencyMs, ex.status === 202);
        ctx.sample(step.name, ex.latencyMs, ex.status);
      },
    });
    const lastSendUs = ctx.clock.nowUs();
    for (const r of await faults)
      if (r.status === 'rejected') failures.push(`a fault during the burst failed: ${(r.reason as Error).message}`);
    // The drain is timed from the end of the faults (the unpause that lets the workers go on), not
    // from the last send: time the workers were still held would count against every drain alike.
    const drainFromUs = ctx.clock.nowUs();
    const seenAtDrain = listener.byJob();
    const completedAtDrain = [...accepted].filter((id) => seenAtDrain.has(id)).length;
    const drainDeadline = drainFromUs + (burst.drain_timeout_ms ?? DEFAULT_DRAIN_TIMEOUT_MS) * 1000;
    // One read of the completions per check: the load generator shares the cores with the drain.
    const done = () => {
      const seen = listener.byJob();
      return [...accepted].every((id) => seen.has(id));
    };
    while (!done() && ctx.clock.nowUs() < drainDeadline && !ctx.signal.aborted) await sleep(50);
    const drainedUs = ctx.clock.nowUs();
    const byJob = listener.byJob();
    const lost = [...accepted].filter((id) => !byJob.has(id));
    const completed = [...accepted].length - lost.length;
    const duplicates = [...byJob.values()].reduce((n, list) => n + list.length - 1, 0);
    if (sent.errors) failures.push(`${sent.errors} sends failed inside the engine, e.g. ${sent.errorMessages.join('; ')}`);
    if (lost.length) failures.push(`${lost.length} jobs answered 202 and never completed, e.g. ${lost.slice(0, 3).join(', ')}`);
    failures.push(...recorder.failures);
    const metrics = recorder.metrics((lastSendUs - start) / 1000);
    const out: Record<string, number> = {
      accepted: accepted.size,
      refused,
      completed,
      lost: lost.length,
      duplicates,
      redelivered: listener.events.filter((e) => e.redelivered).length,
      dropped: sent.dropped,
      dropped_ratio: sent.dropped / burst.jobs,
      drain_ms: (drainedUs - drainFromUs) / 1000,
      jobs_per_s: completed / Math.max(1e-6, (drainedUs - start) / 1e6),
      // The rate at which the queue emptied once the sending stopped: the workers' drain rate.
      drain_jobs_per_s: Math.max(0, completed - completedAtDrain) / Math.max(1e-6, (drainedUs - drainFromUs) / 1e6),
      max_depth: sampler.maxDepth,
      depth_unreadable: sampler.unreadable,
      send_errors: sent.errors,
      // How far behind its schedule the sender fell at worst: a large lag means the load generator, not the API, set the pace.
      max_lag_ms: sent.maxLagUs / 1000,
      'enqueue.deep.not_accepted': notAccepted.deep,
      'enqueue.shallow.not_accepted': notAccepted.shallow,
    };
    for (const [k, v] of Object.entries(metrics)) if (/^(latency|server)\./.test(k)) out[`enqueue.${k}`] = v;
    for (const [name, h] of [
      ['deep', deep],
      ['shallow', shallow],
    ] as const) {
      const s = h.summary();
      if (s.count) for (const [k, v] of Object.entries(s)) if (k !== 'count') out[`enqueue.${name}.latency.${k}`] = v;
    }
    const histograms: Record<string, string> = {};
    for (const [k, v] of Object.entries(recorder.histograms())) histograms[`enqueue.${k}`] = v;
    if (deep.count) histograms['enqueue.deep.latency'] = deep.encode();
    if (shallow.count) histograms['enqueue.shallow.latency'] = shallow.encode();
    return { metrics: out, histograms, series: sampler.series(start), failures };
  } finally {
    await faults;
    sampler.stop();
    await http.close();
    await listener.close();
  }
}

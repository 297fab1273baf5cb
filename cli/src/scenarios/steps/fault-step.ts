import { setTimeout as sleep } from 'node:timers/promises';
import { MissingCapabilityError } from '../../errors.js';
import { undoVerb } from '../fault-ledger.js';
import type { FaultStep } from '../scenario-types.js';
import type { StepContext, StepOutcome } from '../step-context.js';

/** Applies a fault through the lab's runtime; with a duration, waits it out and undoes it. */
export async function runFaultStep(step: FaultStep, ctx: StepContext): Promise<StepOutcome> {
  const { verb, target, duration_ms: durationMs } = step.fault;
  if (!ctx.faults) throw new MissingCapabilityError('faults need a lab; this target has no runtime', 'faults');
  const start = ctx.clock.nowUs();
  await ctx.faults.apply(verb, target);
  const reverse = undoVerb(verb);
  if (durationMs !== undefined && reverse) {
    await sleep(durationMs, undefined, { signal: ctx.signal }).catch(() => {});
    await ctx.faults.apply(reverse, target, true);
  }
  return { metrics: { duration_ms: (ctx.clock.nowUs() - start) / 1000 } };
}

import type { LogMark } from '../profiles/log-source.js';
import { observeFromLogs, type Observed } from '../profiles/log-observations.js';
import type { Metrics } from './exchange-recorder.js';
import type { EngineTarget } from './engine-target.js';
import type { StepContext } from './step-context.js';

/**
 * Where a step starts reading the deployment's logs, when its profile says the cache outcome or the
 * server's time are in its logs rather than its headers; undefined when there is nothing to read.
 */
export async function logMarkFor(ctx: StepContext): Promise<LogMark | undefined> {
  const { profile, logs } = ctx.target;
  if (!logs || (profile.cache.via !== 'log' && profile.serverTime.via !== 'log')) return undefined;
  return logs.mark();
}

/**
 * Completes a step's answers from the logs read since `mark` (a no-op without one), and says in
 * the step's metrics how many answers a log line was found for: a profile whose patterns match
 * nothing shows as `logs.unmatched`, never as silently missing samples.
 */
export async function observeAnswers(ctx: StepContext, mark: LogMark | undefined, answers: Observed[]): Promise<Metrics> {
  if (!mark || !ctx.target.logs) return {};
  const { matched } = await observeFromLogs(ctx.target.profile, ctx.target.logs, mark, answers, ctx.signal);
  return { 'logs.matched': matched, 'logs.unmatched': answers.length - matched };
}

/** Whether a cache outcome can be known at all here: an expectation on X-Cache is dropped when not. */
export function cacheObservable(ctx: StepContext): boolean {
  const { profile, logs } = ctx.target;
  return profile.cache.via === 'header' || (profile.cache.via === 'log' && logs !== undefined);
}

/**
 * Which of a step's metrics this target cannot produce: a cache outcome or a server time it neither
 * sends in a header nor writes to logs that are read. Checks on them are skipped, saying why.
 */
export function unobservedOn(target: EngineTarget): (metric: string) => string | null {
  const { profile, logs } = target;
  const seen = (via: string) => via === 'header' || (via === 'log' && logs !== undefined);
  return (metric) => {
    if (/^cache\./.test(metric) && !seen(profile.cache.via))
      return `the deployment's cache outcome is not observed (profile ${profile.name})`;
    if (/(^|\.)server\./.test(metric) && !seen(profile.serverTime.via))
      return `the deployment reports no server time (profile ${profile.name})`;
    return null;
  };
}

import { parseServerTiming } from '../../../services/shared/src/server-timing.js';
import { componentOfInstance, hopMs } from '../lab/request-record.js';
import type { RunResults } from '../scenarios/run-results.js';

export interface Hop {
  /** `gateway`, `suggestion-service`, ... in the order the request reached them. */
  component: string;
  instance: string;
  /** The hop's own time, from its `request completed` log line. */
  ms: number;
  /** Its parts from Server-Timing (redis, db, the downstream call), in ms. */
  parts: Record<string, number>;
}

export interface TracedRequest {
  scenario: string;
  step: string;
  hops: Hop[];
}

const ORDER = ['gateway', 'worker-service', 'suggestion-service', 'availability-service', 'user-service'];

/**
 * Where the time of each traced request went, hop by hop, from the log records its trace step
 * kept: the first `request completed` line of each component (a service called twice, as
 * user-service is for two users, shows its first call).
 */
export function hopBreakdown(results: RunResults): TracedRequest[] {
  const out: TracedRequest[] = [];
  for (const scenario of results.scenarios) {
    for (const step of scenario.steps) {
      if (step.kind !== 'trace' || !step.logs) continue;
      const hops = new Map<string, Hop>();
      for (const { instance, record } of step.logs) {
        if (record.msg !== 'request completed') continue;
        const component = componentOfInstance(instance);
        if (hops.has(component)) continue;
        const ms = hopMs(record);
        if (ms === undefined) continue;
        const parts: Record<string, number> = {};
        for (const [name, entry] of parseServerTiming(typeof record.server_timing === 'string' ? record.server_timing : undefined)) {
          if (name !== 'app' && entry.dur !== undefined) parts[name] = entry.dur;
        }
        hops.set(component, { component, instance, ms, parts });
      }
      const ordered = [...hops.values()].sort((a, b) => ORDER.indexOf(a.component) - ORDER.indexOf(b.component));
      if (ordered.length) out.push({ scenario: scenario.name, step: step.name, hops: ordered });
    }
  }
  return out;
}

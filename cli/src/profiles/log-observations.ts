import { setTimeout as sleep } from 'node:timers/promises';
import { componentOfInstance } from '../lab/request-record.js';
import type { LogLine } from '../lab/runtime.js';
import type { Exchange } from '../shared/exchange.js';
import type { LogMark, LogSource } from './log-source.js';
import type { TargetProfile } from './profile-types.js';

/** What one log line says of a request: whose it is, who wrote it, and what it observed. */
export interface LineObservation {
  caseId: string;
  component: string;
  cache?: 'HIT' | 'MISS' | 'BYPASS';
  ms?: number;
}

/**
 * How much of a line the profile's patterns see: a request's line is short, and a pattern written
 * by anyone must not spend the run on a line of megabytes.
 */
const MATCHED_CHARS = 8192;

/** The Case-ID of a line: a structured record's `case_id`, else the profile's pattern. */
export function caseIdOfLine(profile: TargetProfile, line: LogLine): string | undefined {
  if (line.record && typeof line.record.case_id === 'string') return line.record.case_id;
  return profile.logs.caseId.exec(line.line.slice(0, MATCHED_CHARS))?.groups?.case_id;
}

export function observeLine(profile: TargetProfile, whole: LogLine): LineObservation | null {
  const caseId = caseIdOfLine(profile, whole);
  if (!caseId) return null;
  const line = { ...whole, line: whole.line.slice(0, MATCHED_CHARS) };
  const out: LineObservation = { caseId, component: componentOfInstance(line.instance) };
  const { cache, serverTime } = profile;
  if (cache.via === 'log') {
    if (cache.hit?.test(line.line)) out.cache = 'HIT';
    else if (cache.miss?.test(line.line)) out.cache = 'MISS';
    else if (cache.bypass?.test(line.line)) out.cache = 'BYPASS';
  }
  if (serverTime.via === 'log') {
    const ms = Number(serverTime.pattern?.exec(line.line)?.groups?.ms);
    if (Number.isFinite(ms)) out.ms = ms;
  }
  return out;
}

/** The service a contract path is answered by: its first segment, as the gateway routes it. */
export function answeringComponent(path: string): string {
  const first = /^\/([a-z]+)/.exec(path)?.[1];
  const services: Record<string, string> = {
    users: 'user-service',
    availability: 'availability-service',
    suggestion: 'suggestion-service',
    worker: 'worker-service',
  };
  return (first && services[first]) ?? 'gateway';
}

export interface Observed {
  caseId: string;
  /** The contract path it was sent to: who answers it is whose lines count. */
  path: string;
  ex: Exchange;
}

const SETTLE_MS = 3000;
const POLL_MS = 200;

/**
 * Fills in what a deployment's headers do not say, from its logs: each answer's cache outcome and
 * its service's own time, read from the lines of the service that answered it, matched by Case-ID.
 * Logs arrive a little after the answers: it reads again until every answer has its line, for at
 * most three seconds. Returns how many answers were matched.
 */
export async function observeFromLogs(
  profile: TargetProfile,
  source: LogSource,
  mark: LogMark,
  batch: Observed[],
  signal?: AbortSignal,
): Promise<{ matched: number }> {
  const wantTime = profile.serverTime.via === 'log';
  const wantCache = profile.cache.via === 'log';
  if (!batch.length || (!wantTime && !wantCache)) return { matched: 0 };
  const deadline = Date.now() + SETTLE_MS;
  const byCase = new Map<string, Observed>(batch.map((b) => [b.caseId, b]));
  const seen = new Map<string, LineObservation>();
  for (;;) {
    for (const line of await source.since(mark, signal).catch(() => [])) {
      const o = observeLine(profile, line);
      const mine = o && byCase.get(o.caseId);
      if (!o || !mine || o.component !== answeringComponent(mine.path)) continue;
      const had = seen.get(o.caseId) ?? { caseId: o.caseId, component: o.component };
      // The first line with a time is the request's own; a cache line may come before it.
      seen.set(o.caseId, { ...had, cache: had.cache ?? o.cache, ms: had.ms ?? o.ms });
    }
    // Complete when each answer has what is read for it: its time, or (read alone) its cache outcome.
    const complete = [...seen.values()].filter((o) => (wantTime ? o.ms !== undefined : o.cache !== undefined)).length;
    if (complete >= batch.length || Date.now() > deadline || signal?.aborted) break;
    await sleep(POLL_MS);
  }
  let matched = 0;
  for (const b of batch) {
    const o = seen.get(b.caseId);
    if (!o) continue;
    matched++;
    if (wantCache && o.cache) b.ex.cache = o.cache;
    if (wantTime && o.ms !== undefined) b.ex.serverMs = o.ms;
  }
  return { matched };
}

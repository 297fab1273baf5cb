import type { ContainerSelection } from './container-log-source.js';

/** A target profile as written (profiles/*.yaml, validated by scenarios/profile.schema.json). */
export interface ProfileFile {
  name: string;
  description?: string;
  extends?: string;
  url?: string;
  prefix?: string;
  routes?: Record<string, string>;
  headers?: { case_id?: string };
  observe?: {
    cache?: { header: string } | 'none' | { log: { hit: string; miss: string; bypass?: string } };
    server_time?: { header: string } | 'none' | { log: { pattern: string } };
    instance?: { header: string } | 'none';
  };
  logs?: { from?: LogsFrom; case_id?: string; files?: Record<string, string>; containers?: ContainerSelection };
  faults?: FaultsVia;
}

export type LogsFrom = 'lab' | 'compose' | 'containers' | 'files' | 'none';
export type FaultsVia = 'lab' | 'compose' | 'none';

/** How one thing that happened is seen: a response header, a log line, or not at all. */
export type Observation = { via: 'header'; header: string } | { via: 'log' } | { via: 'none' };

/** A profile ready to use: defaults filled, patterns compiled, files resolved. */
export interface TargetProfile {
  name: string;
  description: string;
  /** Where it was read from: `built-in` or a path. */
  source: string;
  /** Its gateway URL when --target gives none. */
  url?: string;
  prefix: string;
  routes: RouteRule[];
  caseIdHeader: string;
  cache: Observation & { hit?: RegExp; miss?: RegExp; bypass?: RegExp };
  serverTime: Observation & { pattern?: RegExp };
  instance: Observation;
  logs: { from: LogsFrom; caseId: RegExp; files: Record<string, string>; containers?: ContainerSelection };
  faults: FaultsVia;
}

/** A contract route the deployment lacks, or serves at another path. */
export interface RouteRule {
  /** As written: `GET /worker/stats`. */
  route: string;
  method?: string;
  /** Matches a filled path (query left out); its groups are the route's placeholders. */
  pattern: RegExp;
  /** The route's {placeholders}, in the order the pattern captures them. */
  names: string[];
  /** The path it is served at, with the same {placeholders}; undefined when absent. */
  servedAt?: string;
}

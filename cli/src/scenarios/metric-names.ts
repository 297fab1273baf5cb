import type { StepKind } from './scenario-types.js';

/**
 * The metrics each kind of step produces, as patterns, so a check that names a metric no step can
 * produce is refused before anything runs instead of passing silently.
 */
const STAT = '(p50|p90|p95|p99|p999|min|max|mean)';
const TIMES = `(latency|server)\\.${STAT}`;
const CACHE = '(HIT|MISS|BYPASS)';
const CLASS = '([1-5]xx|[1-5][0-9][0-9])';

const exchangeMetrics = [
  'count',
  'errors',
  'failed',
  'rps',
  'duration_ms',
  TIMES,
  `status\\.${CLASS}\\.(count|ratio)`,
  `status\\.${CLASS}\\.${TIMES}`,
  `cache\\.${CACHE}\\.(count|ratio)`,
  `cache\\.${CACHE}\\.${TIMES}`,
];

const PATTERNS: Record<StepKind, string[]> = {
  request: exchangeMetrics,
  load: [...exchangeMetrics, 'dropped', 'dropped_ratio', 'send_errors', 'max_lag_ms', 'instances\\.(count|spread|missing)'],
  fault: ['duration_ms'],
  wait: ['waited_ms'],
  burst: [
    'accepted',
    'refused',
    'completed',
    'lost',
    'duplicates',
    'redelivered',
    'drain_ms',
    'jobs_per_s',
    'drain_jobs_per_s',
    'max_depth',
    'dropped',
    'dropped_ratio',
    'depth_unreadable',
    'send_errors',
    'max_lag_ms',
    `enqueue\\.(deep|shallow)\\.not_accepted`,
    `enqueue\\.${TIMES}`,
    `enqueue\\.(deep|shallow)\\.${TIMES}`,
  ],
  trace: ['hops_seen', 'hops_missing', 'total_ms', 'hop\\.[a-z-]+\\.ms'],
  create_users: ['count', 'failed', 'retried'],
  sql: ['duration_ms'],
};

const compiled = Object.fromEntries(Object.entries(PATTERNS).map(([kind, list]) => [kind, new RegExp(`^(${list.join('|')})$`)])) as Record<
  StepKind,
  RegExp
>;

export function stepProducesMetric(kind: StepKind, metric: string): boolean {
  return compiled[kind].test(metric);
}

/** `hits.cache.HIT.latency.p50` → step `hits`, metric `cache.HIT.latency.p50`. */
export function splitMetric(name: string): { step: string; metric: string } {
  const dot = name.indexOf('.');
  return { step: name.slice(0, dot), metric: name.slice(dot + 1) };
}

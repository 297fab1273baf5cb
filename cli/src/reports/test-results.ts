import { LatencyHistogram } from '../scenarios/latency-histogram.js';
import type { RunResults, ScenarioResult, StepResult } from '../scenarios/run-results.js';
import { seededRandom } from './bootstrap.js';

/*
 * Results files for unit tests of the report logic: one scenario `sc`, steps and histograms as a
 * test needs.
 */

/** n samples around a median: uniform on [0.8m, 1.2m], seeded. */
export function encoded(n: number, medianMs: number, seed = 1): string {
  const random = seededRandom(seed);
  const h = new LatencyHistogram();
  for (let i = 0; i < n; i++) h.recordMs(medianMs * (0.8 + 0.4 * random()));
  return h.encode();
}

export const step = (name: string, over: Partial<StepResult> = {}): StepResult => ({
  name,
  kind: 'request',
  phase: 'steps',
  status: 'passed',
  startedMs: 0,
  durationMs: 1,
  metrics: {},
  histograms: {},
  series: {},
  failures: [],
  ...over,
});

export function results(steps: StepResult[], status: ScenarioResult['status'] = 'passed'): RunResults {
  return {
    schema: 'w2meet-results/1',
    runId: 'r',
    startedAt: '',
    endedAt: '',
    passed: true,
    lab: {
      kind: 'lab',
      gatewayUrl: 'http://127.0.0.1:1',
      lab: 'x',
      runtime: 'process',
      w2meetVersion: '0',
      host: { platform: 'linux', release: '', cpus: 2, cpuModel: '', memoryGiB: 1, node: 'v20' },
    },
    scenarios: [
      {
        name: 'sc',
        description: '',
        kgs: ['KG8'],
        claims: [],
        file: '',
        status,
        reason: status === 'skipped' ? 'needs faults' : undefined,
        startedAt: '',
        durationMs: 1,
        steps,
        checks: [],
        faults: [],
      },
    ],
  };
}

import { describe, expect, it } from 'vitest';
import type { InstanceStatus, LabStatus, LogLine } from '../lab/runtime.js';
import { initialState, liveMedian, reduce, visibleLogs } from './dashboard-state.js';

const instance = (id: string, pid: number | null, over: Partial<InstanceStatus> = {}): InstanceStatus => ({
  id,
  name: id.replace(/-\d+$/, '') as InstanceStatus['name'],
  kind: 'service',
  replica: Number(id.match(/-(\d+)$/)?.[1] ?? 1),
  state: 'running',
  health: 'healthy',
  address: '127.0.0.1:1',
  pid,
  startedAt: null,
  timeline: {},
  dependsOn: [],
  startsAfter: [],
  ...over,
});
const status = (instances: InstanceStatus[]): LabStatus => ({
  lab: 'x',
  runtime: 'process',
  gatewayUrl: 'http://127.0.0.1:1',
  createdAt: '',
  instances,
});
const line = (instance: string, caseId: string): LogLine => ({
  instance,
  line: '{}',
  record: { case_id: caseId, msg: 'request completed' },
});

describe('the dashboard state', () => {
  it('counts a restart each time an instance comes back with a new pid', () => {
    let s = reduce(initialState('x'), { type: 'status', status: status([instance('redis', 10)]) });
    s = reduce(s, { type: 'status', status: status([instance('redis', null, { state: 'stopped' })]) });
    s = reduce(s, { type: 'status', status: status([instance('redis', 11)]) });
    s = reduce(s, { type: 'status', status: status([instance('redis', 11)]) });
    expect(s.restarts).toEqual({ redis: 1 });
    expect(s.connection).toBe('up');
  });

  it('says when there is no lab', () => {
    expect(reduce(initialState('x'), { type: 'status', status: null }).connection).toBe('no-lab');
  });

  it('keeps the selection inside the list, per panel', () => {
    let s = reduce(initialState('x'), { type: 'status', status: status([instance('a-service-1', 1), instance('a-service-2', 2)]) });
    s = reduce(s, { type: 'move', by: 5 });
    expect(s.selected.instances).toBe(1);
    s = reduce(s, { type: 'move', by: -9 });
    expect(s.selected.instances).toBe(0);
    s = reduce(s, { type: 'panel', panel: 'next' });
    expect(s.panel).toBe('scenarios');
    s = reduce(reduce(s, { type: 'panel', panel: 'next' }), { type: 'panel', panel: 'next' });
    expect(s.panel).toBe('instances');
  });

  it('filters the log by service or by Case-ID, and keeps only the newest lines', () => {
    let s = reduce(initialState('x'), {
      type: 'logs',
      lines: [line('gateway', 'c1'), line('user-service', 'c1'), line('user-service', 'c2')],
    });
    expect(visibleLogs(reduce(s, { type: 'filter', text: 'user-service', editing: false }))).toHaveLength(2);
    expect(visibleLogs(reduce(s, { type: 'filter', text: 'c1', editing: false })).map((l) => l.instance)).toEqual([
      'gateway',
      'user-service',
    ]);
    s = reduce(s, { type: 'logs', lines: Array.from({ length: 400 }, (_, i) => line('gateway', `n${i}`)) });
    expect(s.logs).toHaveLength(300);
    expect(s.logs[299]!.record!.case_id).toBe('n399');
  });

  it("follows a scenario from the engine's events to its verdict", () => {
    let s = reduce(initialState('x'), { type: 'engine', event: { type: 'scenario-start', scenario: 'smoke', steps: 2 } });
    s = reduce(s, { type: 'engine', event: { type: 'step-start', scenario: 'smoke', step: 'health', kind: 'request' } });
    s = reduce(s, { type: 'engine', event: { type: 'sample', scenario: 'smoke', step: 'health', latencyMs: 1, status: 200 } });
    s = reduce(s, { type: 'engine', event: { type: 'sample', scenario: 'smoke', step: 'health', latencyMs: 3, status: 200 } });
    s = reduce(s, { type: 'engine', event: { type: 'sample', scenario: 'smoke', step: 'health', latencyMs: 2, status: 200 } });
    expect(s.scenario).toMatchObject({ name: 'smoke', status: 'running', current: 'health', samples: 3 });
    expect(liveMedian(s.scenario!)).toBe(2);
    s = reduce(s, {
      type: 'engine',
      event: {
        type: 'step-end',
        scenario: 'smoke',
        result: {
          name: 'health',
          kind: 'request',
          phase: 'steps',
          status: 'passed',
          startedMs: 0,
          durationMs: 1,
          metrics: { count: 1, 'latency.p50': 0.5 },
          histograms: {},
          series: {},
          failures: [],
        },
      },
    });
    s = reduce(s, { type: 'engine', event: { type: 'scenario-end', result: { name: 'smoke', status: 'passed' } as never } });
    expect(s.scenario).toMatchObject({
      status: 'passed',
      current: null,
      steps: [{ name: 'health', passed: true, summary: '1 req, p50 0.50 ms' }],
    });
  });
});

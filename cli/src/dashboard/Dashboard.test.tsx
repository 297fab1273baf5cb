import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import type { InstanceStatus, LabStatus } from '../lab/runtime.js';
import { Dashboard } from './Dashboard.js';
import { initialState, reduce, type DashboardState } from './dashboard-state.js';
import { HelpOverlay, KEYS } from './HelpOverlay.js';
import { sparkline } from './Sparkline.js';
import { theme } from './theme.js';

const NOW = Date.parse('2026-11-25T12:00:00Z');
const instance = (id: string, over: Partial<InstanceStatus> = {}): InstanceStatus => ({
  id,
  name: id.replace(/-\d+$/, '') as InstanceStatus['name'],
  kind: 'service',
  replica: 1,
  state: 'running',
  health: 'healthy',
  address: '127.0.0.1:1',
  pid: 1,
  startedAt: '2026-11-25T11:58:55Z',
  timeline: { healthy: 2350 },
  dependsOn: [],
  startsAfter: [],
  ...over,
});
const lab: LabStatus = {
  lab: 'default',
  runtime: 'docker',
  gatewayUrl: 'http://127.0.0.1:8080',
  createdAt: '',
  instances: [
    instance('postgres'),
    instance('redis', { state: 'stopped', health: 'unhealthy', pid: null }),
    instance('availability-service-1'),
    instance('availability-service-2', { state: 'paused' }),
  ],
};

function upState(): DashboardState {
  let s = reduce(initialState('default'), { type: 'status', status: lab });
  s = reduce(s, { type: 'traffic', snapshot: { services: { gateway: { rps: [1, 5, 9], p50: 0.4, p99: 2.1 } }, cacheHitRatio: 0.9 } });
  s = reduce(s, { type: 'queue', figures: { depth: 1200, consumers: 2, completedPerS: 310.5 } });
  s = reduce(s, { type: 'scenarios', names: ['smoke', 'cache-aside'] });
  return reduce(s, {
    type: 'logs',
    lines: [
      {
        instance: 'gateway',
        line: '',
        record: { case_id: 'abc', msg: 'request completed', method: 'GET', path: '/health', status: 200, duration_s: 0.001 },
      },
    ],
  });
}

const frame = (state: DashboardState, columns = 80, rows = 24, env: NodeJS.ProcessEnv = {}) =>
  render(<Dashboard state={state} theme={theme(env)} now={NOW} columns={columns} rows={rows} />).lastFrame() ?? '';

describe('the dashboard screen', () => {
  it('shows every instance with its state, health, uptime and start-up time, and the traffic, queue and log', () => {
    const out = frame(upState(), 80, 24, { NO_COLOR: '1' });
    expect(out).toContain('lab default · docker · http://127.0.0.1:8080');
    expect(out).toMatch(/redis\s+stopped\s+unhealthy\s+-/);
    expect(out).toMatch(/availability-service-2\s+paused\s+healthy\s+1m05s/);
    expect(out).toContain('2.35s');
    expect(out).toContain('cache hits 90%');
    expect(out).toContain('queue depth 1200');
    expect(out).toContain('consumers 2');
    expect(out).toContain('GET /health 200 1ms');
  });

  it('fits 80 columns, and uses no colour under NO_COLOR', () => {
    const out = frame(upState(), 80, 24, { NO_COLOR: '1' });
    for (const l of out.split('\n')) expect(l.length, l).toBeLessThanOrEqual(80);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: it looks for the terminal's colour escape itself
    expect(out).not.toMatch(/\x1b\[3[0-9]m/);
  });

  it('fits a whole default lab (eleven instances) and a message in 80x24', () => {
    const ids = [
      'postgres',
      'redis',
      'rabbitmq',
      'user-service',
      'availability-service-1',
      'availability-service-2',
      'suggestion-service-1',
      'suggestion-service-2',
      'worker-service-1',
      'worker-service-2',
      'gateway',
    ];
    let s = reduce(upState(), { type: 'status', status: { ...lab, instances: ids.map((id) => instance(id)) } });
    s = reduce(s, { type: 'message', text: 'stop redis: done' });
    const out = frame(s, 80, 24, { NO_COLOR: '1' });
    expect(out.split('\n').length).toBeLessThanOrEqual(24);
    for (const id of ids) expect(out).toContain(id);
    expect(out).toContain('GET /health 200');
  });

  it('says plainly when there is no lab, and how to start one', () => {
    const out = frame(reduce(initialState('mine'), { type: 'status', status: null }));
    expect(out).toContain('No lab named mine is up. Start one with `w2meet up --lab mine`');
  });

  it('lists every key in the help overlay', () => {
    const out = render(<HelpOverlay />).lastFrame() ?? '';
    for (const [key] of KEYS) expect(out).toContain(key);
  });

  it('draws sparklines scaled to their own maximum', () => {
    expect(sparkline([0, 4, 8], 3)).toBe('▁▅█');
    expect(sparkline([], 3)).toBe('   ');
  });
});

import { EventEmitter } from 'node:events';
import { render } from 'ink';
import { describe, expect, it } from 'vitest';
import type { InstanceStatus, LabStatus } from '../lab/runtime.js';
import { Dashboard, layoutFor } from './Dashboard.js';
import { initialState, reduce, visibleLogs, type DashboardState } from './dashboard-state.js';
import { HELP_HEIGHT, KEYS } from './HelpOverlay.js';
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
  s = reduce(s, {
    type: 'traffic',
    snapshot: { services: { gateway: { rps: [1, 5, 9], rate: 5, p50: 0.4, p99: 2.1 } }, cacheHitRatio: 0.9 },
  });
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

/**
 * One frame as a terminal of `columns` shows it. ink-testing-library's terminal is 100 columns
 * wide whatever the test says, and ink lays the frame out to the terminal's width.
 */
function frame(state: DashboardState, columns = 80, rows = 24, env: NodeJS.ProcessEnv = {}): string {
  let last = '';
  const stdout = Object.assign(new EventEmitter(), {
    columns,
    rows,
    write: (text: string) => {
      last = text;
      return true;
    },
  });
  const app = render(<Dashboard state={state} theme={theme(env)} now={NOW} columns={columns} rows={rows} />, {
    stdout: stdout as unknown as NodeJS.WriteStream,
    debug: true,
    exitOnCtrlC: false,
    patchConsole: false,
  });
  // The frame drawn on render; what ink writes as it unmounts (under CI=true, a bare newline) is not it.
  const drawn = last;
  app.unmount();
  return drawn;
}

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

  it('draws the help over the panels within the screen at every size, every key listed', () => {
    for (const [columns, rows] of [
      [80, 24],
      [100, 30],
      [120, 40],
      [160, 48],
    ] as const) {
      const plain = frame(upState(), columns, rows, { NO_COLOR: '1' });
      const out = frame({ ...upState(), help: true }, columns, rows, { NO_COLOR: '1' });
      const lines = out.split('\n');
      // No taller than the screen (the frame grows only as far as the overlay needs, when the panels
      // are shorter), the header still on top, and no line wider than the screen.
      expect(lines.length, `${columns}x${rows}`).toBe(Math.max(plain.split('\n').length, HELP_HEIGHT + 1));
      expect(lines.length).toBeLessThanOrEqual(rows);
      expect(lines[0]).toContain('w2meet · lab default');
      for (const l of lines) expect(l.length, l).toBeLessThanOrEqual(columns);
      for (const [key, what] of KEYS) expect(out, `${columns}x${rows}`).toContain(`${key.padEnd(7)} ${what}`);
      // Over the panels, not beside them: no instance row shows through a row of the overlay.
      const overlay = lines.filter((l) => l.includes('║'));
      expect(overlay.length).toBe(KEYS.length + 1);
      for (const l of overlay) expect(l.slice(l.indexOf('║'), l.lastIndexOf('║'))).not.toMatch(/running|healthy/);
    }
  });

  it('names the instance columns at every size', () => {
    for (const [columns, rows] of [
      [80, 24],
      [120, 40],
      [160, 48],
    ] as const) {
      expect(frame(upState(), columns, rows, { NO_COLOR: '1' })).toMatch(/instance\s+state\s+health\s+uptime\s+restarts\s+ready in/);
    }
  });

  it('puts the per-service traffic below the instances on a narrow but tall screen (120x40), keeping a log', () => {
    expect(layoutFor(120, 40, 10, 1)).toBe('tall');
    expect(layoutFor(100, 30, 10, 1)).toBe('small');
    expect(layoutFor(80, 24, 10, 1)).toBe('small');
    expect(layoutFor(140, 40, 10, 1)).toBe('wide');
    const out = frame(upState(), 120, 40, { NO_COLOR: '1' });
    const lines = out.split('\n');
    expect(lines.length).toBeLessThanOrEqual(40);
    const below = lines.findIndex((l) => l.includes('availability-service-2'));
    for (const service of ['gateway', 'user-service', 'availability-service', 'suggestion-service', 'worker-service']) {
      const row = lines.findIndex((l, n) => n > below && new RegExp(`^\\W*${service}\\s`).test(l));
      expect(row, service).toBeGreaterThan(below);
    }
    expect(out).toMatch(/gateway\s+\S*\s+5\.0\s+0\.4ms\s+2\.1ms/);
    expect(out).toContain('GET /health 200 1ms');
  });

  it("hides w2meet's own probes in the log until o shows them", () => {
    const probe = {
      instance: 'user-service',
      line: '',
      record: { case_id: 'w2meet-probe', msg: 'request completed', method: 'GET', path: '/health', status: 200, duration_ms: 1 },
    };
    const s = reduce(upState(), { type: 'logs', lines: [probe] });
    const hidden = frame(s, 120, 40, { NO_COLOR: '1' });
    expect(hidden).not.toContain('w2meet-probe');
    expect(hidden).toContain("o: w2meet's probes hidden");
    const shown = frame(reduce(s, { type: 'own', show: true }), 120, 40, { NO_COLOR: '1' });
    expect(shown).toContain('w2meet-probe request completed GET /health 200 1ms');
    expect(shown).toContain("o: w2meet's probes shown");
  });

  it("keeps the lab's log lines however many probe lines arrive after them", () => {
    const lab = { instance: 'gateway', line: 'lab line', record: null };
    const probe = { instance: 'redis', line: '', record: { case_id: 'w2meet-probe', msg: 'request completed' } };
    let s = reduce(initialState('default'), { type: 'logs', lines: [lab] });
    for (let n = 0; n < 50; n++) s = reduce(s, { type: 'logs', lines: Array.from({ length: 20 }, () => probe) });
    expect(visibleLogs(s)).toEqual([lab]);
    expect(visibleLogs({ ...s, showOwn: true }).length).toBeGreaterThan(1);
  });

  it('draws sparklines scaled to their own maximum', () => {
    expect(sparkline([0, 4, 8], 3)).toBe('▁▅█');
    expect(sparkline([], 3)).toBe('   ');
  });
});

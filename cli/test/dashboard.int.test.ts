import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { packageRoot } from '../src/shared/paths.js';
import { eventually, http, labRuntime, testLab, withFault } from './test-lab.js';

const lab = testLab();
const tmux = (...args: string[]) => execFileSync('tmux', args, { encoding: 'utf8' });
// A session name of this run's own, so the test ends only what it started; each test its own.
let session = '';
const openSession = (name: string, command: string, [columns, rows] = [120, 40]) => {
  session = `w2meet-it-dashboard-${name}-${process.pid}`;
  // CI=true as a CI job has it: ink then draws only its last frame unless the dashboard undoes it.
  tmux('new-session', '-d', '-s', session, '-x', String(columns), '-y', String(rows), '-e', 'NO_COLOR=1', '-e', 'CI=true', command);
};
const reports = mkdtempSync(join(tmpdir(), 'w2meet-dashboard-'));
const screen = () => tmux('capture-pane', '-p', '-t', session);
const alive = () => session !== '' && spawnSync('tmux', ['has-session', '-t', session]).status === 0;

// A test that fails midway leaves its dashboard running: end it before the next test opens its own.
afterEach(() => {
  if (alive()) tmux('kill-session', '-t', session);
});

afterAll(async () => {
  rmSync(reports, { recursive: true, force: true });
  // Whatever happened, the lab is whole again for the files after this one.
  const status = await labRuntime().status(lab.name);
  for (const i of status?.instances ?? [])
    if (i.state !== 'running') await labRuntime().fault(lab.name, i.state === 'paused' ? 'unpause' : 'start', i.id);
});

describe.skipIf(spawnSync('tmux', ['-V']).status !== 0)('w2meet dashboard in a real terminal (tmux) on a real lab (needs tmux)', () => {
  it('stops a replica from the keyboard, brings the lab back with u, runs a scenario and quits', async () => {
    const entry = join(packageRoot(), 'dist', 'cli', 'w2meet.js');
    openSession('keys', `${process.execPath} ${entry} dashboard --lab ${lab.name} --reports ${reports}`);
    expect(
      await eventually(
        async () => screen(),
        (s) => s.includes('availability-service-2') && s.includes('smoke'),
        20_000,
      ),
    ).toContain('lab w2meet-it');

    // Walk the selection down to the second availability replica, as a person would.
    const order = (await labRuntime().status(lab.name))!.instances.map((i) => i.id);
    for (let n = 0; n < order.indexOf('availability-service-2'); n++) tmux('send-keys', '-t', session, 'Down');
    tmux('send-keys', '-t', session, 's');
    const stopped = await eventually(
      () => labRuntime().status(lab.name),
      (s) => s!.instances.find((i) => i.id === 'availability-service-2')!.state === 'stopped',
      20_000,
    );
    expect(stopped!.instances.filter((i) => i.state !== 'running').map((i) => `${i.id} ${i.state}`)).toEqual([
      'availability-service-2 stopped',
    ]);
    const shown = await eventually(
      async () => screen(),
      (s) => /availability-service-2\s+stopped/.test(s),
      15_000,
    );
    expect(shown, shown).toMatch(/availability-service-2\s+stopped/);

    tmux('send-keys', '-t', session, 'u');
    const whole = await eventually(
      () => labRuntime().status(lab.name),
      (s) => s!.instances.every((i) => i.state === 'running' && i.health === 'healthy'),
      30_000,
    );
    expect(whole!.instances.every((i) => i.state === 'running')).toBe(true);
    // The lab can be whole a moment before the dashboard's own action has returned; it takes one
    // action at a time, so the scenario is started once that one is done, as a person would.
    expect(
      await eventually(
        async () => screen(),
        (s) => s.includes('up-all: done'),
        30_000,
      ),
    ).toContain('up-all: done');

    tmux('send-keys', '-t', session, 'Tab');
    expect(
      await eventually(
        async () => screen(),
        (s) => s.includes('[smoke]'),
        10_000,
      ),
    ).toContain('[smoke]');
    tmux('send-keys', '-t', session, 'Enter');
    expect(
      await eventually(
        async () => screen(),
        (s) => s.includes('smoke: passed'),
        60_000,
      ),
    ).toContain('smoke: passed');

    tmux('send-keys', '-t', session, 'q');
    expect(
      await eventually(
        async () => alive(),
        (a) => !a,
        10_000,
      ),
    ).toBe(false);
  }, 150_000);

  it('at 80x24, 100x30 and 120x40: named columns, help over the panels, a rate over seconds, no phantom jobs/s, probes hidden until o', async () => {
    const entry = join(packageRoot(), 'dist', 'cli', 'w2meet.js');
    const { gatewayUrl, addresses } = testLab();
    // The two workers' totals made unequal, as after any real run: one stopped (its prefetch goes back
    // to the queue, and it starts again from 0) while jobs go to the other.
    const settled = async (id: string) => {
      const s = (await http(`${addresses[id]}/stats`, { headers: { 'Case-ID': 'dash-it-jobs' } })).body;
      return s.processed + s.failed;
    };
    const before = await settled('worker-service-1');
    await withFault('stop', 'worker-service#2', async () => {
      for (let n = 0; n < 30; n++) {
        // Straight to the running replica: the gateway would hand some to the stopped one.
        const res = await http(`${addresses['worker-service-1']}/tasks`, {
          method: 'POST',
          body: { userId1: 'nobody-1@example.com', userId2: 'nobody-2@example.com' },
          headers: { 'Case-ID': `dash-it-job-${n}` },
        });
        expect(res.status).toBe(202);
      }
      expect(
        await eventually(
          () => settled('worker-service-1'),
          (n) => n >= before + 30,
          30_000,
        ),
      ).toBeGreaterThanOrEqual(before + 30);
    });

    for (const [columns, rows] of [
      [80, 24],
      [100, 30],
      [120, 40],
    ] as const) {
      const size = `${columns}x${rows}`;
      openSession(`size-${size}`, `${process.execPath} ${entry} dashboard --lab ${lab.name} --reports ${reports}`, [columns, rows]);
      const first = await eventually(
        async () => screen(),
        (s) => s.includes('gateway') && /running\s+healthy/.test(s) && s.includes('jobs/s'),
        20_000,
      );
      expect(first, size).toMatch(/instance\s+state\s+health\s+uptime\s+restarts\s+ready in/);
      const lines = () => screen().replace(/\n+$/, '').split('\n');

      // An idle lab does no jobs: no reading in the first seconds may say otherwise.
      const readings: string[] = [];
      for (let n = 0; n < 10; n++) {
        readings.push(/jobs\/s (\S+)/.exec(screen())?.[1] ?? '?');
        await new Promise((r) => setTimeout(r, 700));
      }
      expect(
        readings.filter((r) => r !== '-' && Number(r) !== 0),
        `${size}: ${readings.join(' ')}`,
      ).toEqual([]);
      expect(readings, size).toContain('0.0');

      // w2meet's own probes (its status checks run every 3 s meanwhile) are hidden, and the broker's
      // check opens no AMQP connection.
      const quiet = screen();
      expect(quiet, size).not.toContain('w2meet-probe');
      expect(quiet, size).not.toContain('AMQP connection');

      // 30 requests in one go: a moment later the rate still shows them.
      await Promise.all(
        Array.from({ length: 30 }, (_, n) => http(`${gatewayUrl}/users/health`, { headers: { 'Case-ID': `dash-it-rate-${n}` } })),
      );
      await new Promise((r) => setTimeout(r, 2500));
      // The gateway's traffic row: its name, its sparkline, then the rate.
      const rate = Number(/^\W*gateway\s+[▁▂▃▄▅▆▇█]+\s+([\d.]+)/m.exec(screen())?.[1] ?? 'NaN');
      expect(rate, `${size}\n${screen()}`).toBeGreaterThan(0);

      if (columns === 120) {
        // Narrow but tall: every service's traffic below the instances.
        const shown = lines();
        const lastInstance = shown.findIndex((l) => l.includes('availability-service-2'));
        for (const service of ['user-service', 'availability-service', 'suggestion-service', 'worker-service']) {
          expect(
            shown.findIndex((l, n) => n > lastInstance + 2 && new RegExp(`^\\W*${service}\\s+[▁▂▃▄▅▆▇█]+\\s+[\\d.]+`).test(l)),
            `${service}\n${shown.join('\n')}`,
          ).toBeGreaterThan(lastInstance);
        }
      }

      // ? draws the help over the panels: the frame keeps the screen, its header still on top.
      tmux('send-keys', '-t', session, '?');
      const help = await eventually(
        async () => lines(),
        (l) => l.some((x) => x.includes('Keys (any key closes this)')),
        10_000,
      );
      expect(help.length, size).toBeLessThanOrEqual(rows);
      expect(help[0], `${size}\n${help.join('\n')}`).toContain(`lab ${lab.name}`);
      expect(help.join('\n')).toContain("show or hide w2meet's own probes");
      tmux('send-keys', '-t', session, 'x');
      expect(
        await eventually(
          async () => screen(),
          (s) => !s.includes('Keys (any key closes this)'),
          10_000,
        ),
      ).not.toContain('Keys (any key');

      // o shows the probes: the services' health checks appear with their Case-ID.
      tmux('send-keys', '-t', session, 'o');
      const probes = await eventually(
        async () => screen(),
        (s) => s.includes('w2meet-probe'),
        15_000,
      );
      expect(probes, size).toContain('w2meet-probe');
      tmux('send-keys', '-t', session, 'q');
      expect(
        await eventually(
          async () => alive(),
          (a) => !a,
          10_000,
        ),
      ).toBe(false);
    }
  }, 240_000);

  it('q during a scenario stops it and undoes its faults before the dashboard ends', async () => {
    const entry = join(packageRoot(), 'dist', 'cli', 'w2meet.js');
    openSession('quit', `${process.execPath} ${entry} dashboard --lab ${lab.name} --reports ${reports}`);
    expect(
      await eventually(
        async () => screen(),
        (s) => s.includes('queue-burst'),
        20_000,
      ),
    ).toContain('queue-burst');
    // The scenario list is in suite order; queue-burst is its last.
    tmux('send-keys', '-t', session, 'Tab');
    for (let n = 0; n < 5; n++) tmux('send-keys', '-t', session, 'Down');
    tmux('send-keys', '-t', session, 'Enter');
    // Its first burst pauses suggestion-service for 25 s.
    const paused = await eventually(
      () => labRuntime().status(lab.name),
      (s) => s!.instances.some((i) => i.state === 'paused'),
      30_000,
    );
    expect(paused!.instances.filter((i) => i.state === 'paused').map((i) => i.name)).toContain('suggestion-service');
    const quitAt = Date.now();
    tmux('send-keys', '-t', session, 'q');
    expect(
      await eventually(
        async () => alive(),
        (a) => !a,
        30_000,
      ),
    ).toBe(false);
    // It ended well before the 25 s pause would have, and left nothing paused.
    expect(Date.now() - quitAt).toBeLessThan(20_000);
    const after = await labRuntime().status(lab.name);
    expect(after!.instances.filter((i) => i.state !== 'running').map((i) => `${i.id} ${i.state}`)).toEqual([]);
  }, 90_000);

  it('--up shows a lab of its own coming up, and --down-on-exit takes it down on q', async () => {
    const own = 'w2meet-dash-up-it';
    const entry = join(packageRoot(), 'dist', 'cli', 'w2meet.js');
    try {
      openSession(
        'up',
        `${process.execPath} ${entry} dashboard --up --down-on-exit --runtime process --port 0 --lab ${own} --reports ${reports}`,
      );
      // On a free port: the quick start leaves a lab of its own on 8080.
      // The instances appear while they start, before the lab is whole.
      const starting = await eventually(
        async () => screen(),
        (s) => /starting|healthy after/.test(s),
        30_000,
      );
      expect(starting, starting).toMatch(/starting|healthy after/);
      // The header says when `up` returned; the instance list follows at the next status read.
      const up = await eventually(
        async () => screen(),
        (s) => s.includes(`lab ${own} up in`) && /gateway\s+running\s+healthy/.test(s),
        90_000,
      );
      expect(up, up).toMatch(/gateway\s+running\s+healthy/);
      expect(up).not.toContain('epmd:');
      tmux('send-keys', '-t', session, 'q');
      expect(
        await eventually(
          async () => alive(),
          (a) => !a,
          30_000,
        ),
      ).toBe(false);
      expect(
        await eventually(
          () => labRuntime().status(own),
          (s) => s === null,
          30_000,
        ),
      ).toBeNull();
    } finally {
      if (alive()) tmux('kill-session', '-t', session);
      await labRuntime().down(own, { volumes: true });
    }
  }, 150_000);
});

import { spawn } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isAlive } from '../src/lab/process/supervisor.js';
import { labDir, packageRoot } from '../src/shared/paths.js';
import { http } from './test-lab.js';
import { runCli } from './run-cli.js';

// A lab of its own, beside the shared test lab, so `down` here cannot disturb other files.
const LAB = 'w2meet-cli-it';
const lab = ['--lab', LAB];

afterAll(async () => {
  await runCli(['down', '--volumes', ...lab]);
});

describe('w2meet up, status, logs, faults and down on the process runtime', () => {
  let gateway = '';

  it('up returns once every component is healthy and prints the status as JSON', async () => {
    const res = await runCli(['up', '--runtime', 'process', ...lab, '--port', '0', '--json']);
    expect(res.code, res.stderr).toBe(0);
    const status = JSON.parse(res.stdout);
    gateway = status.gatewayUrl;
    // Ten instances: RabbitMQ's epmd runs inside the process driver, as its companion, not as an instance.
    expect(status.instances).toHaveLength(10);
    expect(status.instances.map((i: { id: string }) => i.id)).not.toContain('epmd');
    for (const i of status.instances) expect(i, i.id).toMatchObject({ state: 'running', health: 'healthy' });
    expect((await http(`${gateway}/health`)).status).toBe(200);
  });

  it('status shows every component with its state, health, address and pid', async () => {
    const res = await runCli(['status', ...lab]);
    expect(res.code).toBe(0);
    for (const id of ['postgres', 'redis', 'rabbitmq', 'user-service', 'availability-service-2', 'gateway']) {
      expect(res.stdout).toMatch(new RegExp(`^${id}\\s+\\w+\\s+running\\s+healthy\\s+127\\.0\\.0\\.1:\\d+\\s+\\d+`, 'm'));
    }
  });

  it('up again on a running lab changes nothing', async () => {
    const res = await runCli(['up', '--runtime', 'process', ...lab, '--port', '0', '--json']);
    expect(res.code).toBe(0);
    expect(JSON.parse(res.stdout).gatewayUrl).toBe(gateway);
  });

  it('logs shows a request by its Case-ID across hops', async () => {
    await http(`${gateway}/users/health`, { headers: { 'Case-ID': 'cli-logs-1' } });
    const res = await runCli(['logs', ...lab, '--case-id', 'cli-logs-1']);
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/^user-service\s+\| \{.*"case_id":"cli-logs-1"/m);
    expect(
      res.stdout
        .split('\n')
        .filter(Boolean)
        .every((l) => l.includes('cli-logs-1')),
    ).toBe(true);
  });

  it('stop and start a replica, reported by status', async () => {
    expect((await runCli(['stop', 'suggestion-service#2', ...lab])).code).toBe(0);
    const stopped = await runCli(['status', ...lab, '--json']);
    const two = JSON.parse(stopped.stdout).instances.find((i: { id: string }) => i.id === 'suggestion-service-2');
    expect(two.state).not.toBe('running');
    expect((await runCli(['start', 'suggestion-service#2', ...lab])).code).toBe(0);
    const started = JSON.parse((await runCli(['status', ...lab, '--json'])).stdout);
    expect(started.instances.find((i: { id: string }) => i.id === 'suggestion-service-2')).toMatchObject({
      state: 'running',
      health: 'healthy',
    });
  });

  it('an unknown target is a usage error that lists the valid ones', async () => {
    const res = await runCli(['kill', 'mongodb', ...lab]);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('no component or replica named "mongodb"');
    expect(res.stderr).toContain('hint: choose one of:');
  });

  it('up after a crash (a component killed behind its back) cleans up and starts afresh', async () => {
    const before = JSON.parse((await runCli(['status', ...lab, '--json'])).stdout);
    const gw = before.instances.find((i: { id: string }) => i.id === 'gateway');
    process.kill(-gw.pid, 'SIGKILL');
    const res = await runCli(['up', '--runtime', 'process', ...lab, '--port', '0', '--json']);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stderr).toContain('cleaning up what an earlier run');
    const after = JSON.parse(res.stdout);
    gateway = after.gatewayUrl;
    for (const i of after.instances) expect(i, i.id).toMatchObject({ state: 'running', health: 'healthy' });
    // Nothing of the earlier run is left: every earlier pid is gone.
    for (const i of before.instances) {
      expect(isAlive(i.pid), `${i.id} (${i.pid}) still runs`).toBe(false);
    }
  });

  it('logs --follow prints new lines as they are written, until interrupted', async () => {
    const child = spawn(
      process.execPath,
      [join(packageRoot(), 'dist', 'cli', 'w2meet.js'), 'logs', 'user-service', '-f', '-n', '0', '--lab', LAB],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    try {
      // `-n 0` shows only what is written after the follower started, and nothing says when that
      // is: a request every half second until one of them shows up.
      const deadline = Date.now() + 10_000;
      for (let n = 1; !out.includes('follow-me-') && Date.now() < deadline; n++) {
        await http(`${gateway}/users/health`, { headers: { 'Case-ID': `follow-me-${n}` } });
        await new Promise((r) => setTimeout(r, 500));
      }
      expect(out).toContain('follow-me-');
      // Nothing from before it started: the history is not replayed.
      expect(out).not.toContain('Server listening');
    } finally {
      child.kill('SIGINT');
    }
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(0);
  });

  it('down stops everything, twice without complaint, and status then shows no lab', async () => {
    const status = JSON.parse((await runCli(['status', ...lab, '--json'])).stdout);
    const state = JSON.parse(readFileSync(join(labDir(LAB), 'state.json'), 'utf8')) as {
      instances: { companions: { id: string; pid: number }[] }[];
    };
    const epmd = state.instances.flatMap((i) => i.companions).find((c) => c.id === 'epmd')!;
    expect(isAlive(epmd.pid), 'epmd runs beside the broker').toBe(true);
    const first = await runCli(['down', ...lab]);
    expect(first.code).toBe(0);
    expect(first.stderr).toContain('stopped 10 components');
    for (const i of status.instances) expect(isAlive(i.pid), i.id).toBe(false);
    expect(isAlive(epmd.pid), 'epmd stops with the lab').toBe(false);
    const second = await runCli(['down', ...lab]);
    expect(second.code).toBe(0);
    expect(second.stderr).toContain('nothing was running');
    const after = await runCli(['status', ...lab]);
    expect(after.stdout).toContain(`no lab named ${LAB} is up`);
  });
});

describe('clear errors', () => {
  let server: Server;
  afterAll(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())));

  it('a gateway port in use: one message naming it and what to do, exit 1', async () => {
    server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const port = (server.address() as { port: number }).port;
    const res = await runCli(['up', '--runtime', 'process', '--lab', 'w2meet-port-it', '--port', String(port)]);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain(`port ${port} on 127.0.0.1 is already in use`);
    expect(res.stderr).toContain('hint: pass --port');
    expect(res.stderr).not.toMatch(/\n\s+at /);
    await runCli(['down', '--volumes', '--lab', 'w2meet-port-it']);
  });

  it('every mistake on the command line exits 2, as documented; help and version exit 0', async () => {
    for (const args of [
      ['scenario', 'run', '--all'],
      ['no-such-command'],
      ['up', '--runtime', 'kubernetes'],
      ['up', '--port', 'eighty'],
      ['logs', '-n'],
    ]) {
      const res = await runCli(args);
      expect(res.code, `${args.join(' ')}: ${res.stderr}`).toBe(2);
      expect(res.stderr).toMatch(/error|not a|invalid|missing/i);
    }
    for (const args of [['--help'], ['--version'], ['up', '--help']]) expect((await runCli(args)).code, args.join(' ')).toBe(0);
  });

  it('the built command is executable, so npx and a global install can run it', () => {
    expect(statSync(join(packageRoot(), 'dist', 'cli', 'w2meet.js')).mode & 0o111).toBe(0o111);
  });

  it('a reader that stops reading (`w2meet ... | head`) ends nothing with a stack trace', async () => {
    const entry = join(packageRoot(), 'dist', 'cli', 'w2meet.js');
    const child = spawn(process.execPath, [entry, 'grade', '--help'], { stdio: ['ignore', 'pipe', 'pipe'] });
    // The read end closes before the command writes, as when `head` has read its lines and gone.
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(stderr).not.toMatch(/EPIPE|at .*\.js:\d+/);
    expect(code).toBe(0);
  });

  it('a bad option value: a usage error with the reason, exit 2', async () => {
    const res = await runCli(['up', '--runtime', 'process', '--replicas', 'cache=2', '--lab', 'w2meet-bad-it']);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('"cache" is not a service');
    await runCli(['down', '--volumes', '--lab', 'w2meet-bad-it']);
  });
});

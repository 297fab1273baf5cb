import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { labDir, packageRoot } from '../src/lab/paths.js';
import { readState } from '../src/lab/process/state.js';
import { isAlive } from '../src/lab/process/supervisor.js';
import { runCli } from './run-cli.js';

const BROKEN = 'w2meet-broken-it';
const INTERRUPTED = 'w2meet-ctrlc-it';

afterAll(async () => {
  await runCli(['down', '--volumes', '--lab', BROKEN]);
  await runCli(['down', '--volumes', '--lab', INTERRUPTED]);
});

describe('when the lab cannot start', () => {
  it('a service that never becomes healthy: its name, the tail of its log, exit 1, nothing left running', async () => {
    const res = await runCli(['up', '--runtime', 'process', '--lab', BROKEN, '--port', '0', '--env', 'TTL_SECONDS=soon']);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('w2meet: user-service: the process exited');
    expect(res.stderr).toContain('TTL_SECONDS: must be a whole number, got "soon"');
    expect(res.stderr).toContain('hint: see the whole log with `w2meet logs user-service`');
    expect(await readState(labDir(BROKEN))).toBeNull();
  });

  it('Ctrl-C during up stops everything that was started and exits 130', async () => {
    const entry = join(packageRoot(), 'dist', 'cli', 'w2meet.js');
    const child = spawn(process.execPath, [entry, 'up', '--runtime', 'process', '--lab', INTERRUPTED, '--port', '0'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    // Interrupt once something is up and RabbitMQ is still starting.
    const deadline = Date.now() + 30_000;
    while (!stderr.includes('healthy  postgres') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const pids = ((await readState(labDir(INTERRUPTED)))?.instances ?? []).map((i) => i.pid).filter((p): p is number => !!p);
    expect(pids.length).toBeGreaterThan(0);
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(130);
    expect(stderr).toContain('interrupted');
    for (const pid of pids) expect(isAlive(pid), `pid ${pid}`).toBe(false);
    expect(existsSync(join(labDir(INTERRUPTED), 'state.json'))).toBe(false);
  });
});

describe('w2meet doctor', () => {
  it('lists every prerequisite as found on this machine', async () => {
    const res = await runCli(['doctor']);
    expect(res.code, res.stdout).toBe(0);
    for (const name of ['node', 'service bundles', 'postgres', 'initdb', 'redis-server', 'rabbitmq-server', 'epmd', 'nginx', 'docker', 'debootstrap', 'docker-registry']) {
      expect(res.stdout).toMatch(new RegExp(`^ok\\s+${name}\\s`, 'm'));
    }
  });
});

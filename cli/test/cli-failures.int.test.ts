import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { labDir } from '../src/lab/paths.js';
import { readState } from '../src/lab/process/state.js';
import { isAlive } from '../src/lab/process/supervisor.js';
import { runCli, spawnCli } from './run-cli.js';

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
    const up = spawnCli(['up', '--runtime', 'process', '--lab', INTERRUPTED, '--port', '0']);
    // Interrupt once something is up and RabbitMQ is still starting.
    await up.waitForStderr('healthy  postgres', 30_000);
    const pids = ((await readState(labDir(INTERRUPTED)))?.instances ?? []).map((i) => i.pid).filter((p): p is number => !!p);
    expect(pids.length).toBeGreaterThan(0);
    up.signal('SIGINT');
    expect(await up.exited).toBe(130);
    expect(up.stderr()).toContain('interrupted');
    for (const pid of pids) expect(isAlive(pid), `pid ${pid}`).toBe(false);
    expect(existsSync(join(labDir(INTERRUPTED), 'state.json'))).toBe(false);
  });
});

describe('w2meet doctor', () => {
  it('lists every prerequisite as found on this machine', async () => {
    const res = await runCli(['doctor']);
    for (const name of ['node', 'service bundles', 'postgres', 'initdb', 'redis-server', 'rabbitmq-server', 'epmd', 'nginx', 'docker engine', 'debootstrap', 'docker-registry']) {
      expect(res.stdout).toMatch(new RegExp(`^ok\\s+${name}\\s`, 'm'));
    }
    // Whether an Engine answers depends on the machine; the exit code follows that line alone.
    const answering = /^ok\s+engine answering\s/m.test(res.stdout);
    expect(res.code, res.stdout).toBe(answering ? 0 : 1);
  });

  it('tells an installed but silent Engine from an answering one, with the fix', async () => {
    const res = await runCli(['doctor'], { env: { DOCKER_HOST: 'unix:///nonexistent/w2meet-test.sock' } });
    expect(res.code, res.stdout).toBe(1);
    expect(res.stdout).toMatch(/^ok\s+docker engine\s+\S*dockerd/m);
    expect(res.stdout).toMatch(/^MISSING\s+engine answering\s+no answer at unix:\/\/\/nonexistent\/w2meet-test\.sock\s+start the Engine at DOCKER_HOST/m);
    expect(res.stdout).toContain('1 missing');
  });
});

import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { labDir } from '../src/shared/paths.js';
import { readState, writeState } from '../src/lab/process/state.js';
import { isAlive } from '../src/lab/process/supervisor.js';
import { runCli, spawnCli } from './run-cli.js';

const BROKEN = 'w2meet-broken-it';
const INTERRUPTED = 'w2meet-ctrlc-it';
const STALE = 'w2meet-stale-it';
const REUSED = 'w2meet-pids-it';

afterAll(async () => {
  await runCli(['down', '--volumes', '--lab', BROKEN]);
  await runCli(['down', '--volumes', '--lab', INTERRUPTED]);
  await runCli(['down', '--volumes', '--lab', STALE]);
  await runCli(['down', '--volumes', '--lab', REUSED]);
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

  it('Ctrl-C while the lab is prepared (initdb), before anything is healthy, starts nothing and exits 130', async () => {
    await runCli(['down', '--volumes', '--lab', INTERRUPTED]);
    const up = spawnCli(['up', '--runtime', 'process', '--lab', INTERRUPTED, '--port', '0']);
    await up.waitForStderr("preparing the lab's data folders", 30_000);
    up.signal('SIGINT');
    expect(await up.exited).toBe(130);
    expect(up.stderr()).toContain('interrupted');
    expect(up.stderr()).not.toContain('healthy  postgres');
    // Give anything that escaped the interrupt time to start, then look for it.
    await new Promise((r) => setTimeout(r, 3000));
    expect(processesUnder(labDir(INTERRUPTED))).toEqual([]);
    expect(existsSync(join(labDir(INTERRUPTED), 'state.json'))).toBe(false);
  });
});

/** Processes whose command line names a folder, or that run in it: what a lab left running, whatever it is called. */
function processesUnder(dir: string): string[] {
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((e) => /^\d+$/.test(e))) {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
      // The services name no lab folder on their command line, but run in it.
      const cwd = readlinkSync(`/proc/${pid}/cwd`);
      if (cmdline.includes(dir) || cwd.startsWith(dir)) found.push(`${pid}: ${cmdline.slice(0, 120)}`);
    } catch {
      /* gone meanwhile */
    }
  }
  return found;
}

describe('w2meet doctor', () => {
  it('lists every prerequisite as found on this machine', async () => {
    const res = await runCli(['doctor']);
    for (const name of [
      'node',
      'service bundles',
      'postgres',
      'initdb',
      'redis-server',
      'rabbitmq-server',
      'epmd',
      'nginx',
      'docker engine',
      'debootstrap',
      'docker-registry',
    ]) {
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
    expect(res.stdout).toMatch(
      /^MISSING\s+engine answering\s+no answer at unix:\/\/\/nonexistent\/w2meet-test\.sock\s+start the Engine at DOCKER_HOST/m,
    );
    expect(res.stdout).toContain('1 missing');
  });
});

describe('lab names, wherever they come from', () => {
  it('W2MEET_LAB=.. or empty is refused with exit 2, and down -v removes nothing outside the lab', async () => {
    const scratch = mkdtempSync(join(tmpdir(), 'w2meet-scratch-'));
    try {
      mkdirSync(join(scratch, 'state'));
      writeFileSync(join(scratch, 'keep.txt'), "not the lab's");
      for (const name of ['..', '', '.']) {
        const res = await runCli(['down', '-v'], { env: { W2MEET_STATE_DIR: join(scratch, 'state'), W2MEET_LAB: name } });
        expect(res.code, res.stderr).toBe(2);
        expect(res.stderr).toContain(`W2MEET_LAB "${name}" is not a lab name`);
      }
      expect(readFileSync(join(scratch, 'keep.txt'), 'utf8')).toBe("not the lab's");
      expect(existsSync(join(scratch, 'state'))).toBe(true);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });
});

describe('credentials the data was not made with', () => {
  it('up fails at once with the cause and the fix, not after the health wait', async () => {
    expect((await runCli(['up', '--runtime', 'process', '--lab', STALE, '--port', '0'], 120_000)).code).toBe(0);
    expect((await runCli(['down', '--lab', STALE])).code).toBe(0);
    // The data stays; its credentials are replaced, as when they were lost and made anew.
    const path = join(labDir(STALE), 'secrets.json');
    const secrets = JSON.parse(readFileSync(path, 'utf8'));
    writeFileSync(path, JSON.stringify({ ...secrets, postgresPassword: 'not-the-one-initdb-saw' }));
    const started = Date.now();
    const res = await runCli(['up', '--runtime', 'process', '--lab', STALE, '--port', '0'], 120_000);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain("refused the lab's credentials");
    expect(res.stderr).toContain('w2meet down -v');
    // The health wait is 30 s; a refusal ends it at the first answer.
    expect(Date.now() - started).toBeLessThan(20_000);
  });
});

/**
 * Brings the lab REUSED up, then Redis dies and another program, in a process group of its own and
 * outside the lab's folder, takes its place in the state: the recorded pid now names that program,
 * as after a reboot or a long time. `legacy` also drops every identity, as an earlier version's
 * state file had none. Returns the other program, for the caller to end.
 */
async function redisPidTakenByAnother(legacy: boolean): Promise<ChildProcess> {
  expect((await runCli(['up', '--runtime', 'process', '--lab', REUSED, '--port', '0'], 120_000)).code).toBe(0);
  const dir = labDir(REUSED);
  const state = (await readState(dir))!;
  const redis = state.instances.find((i) => i.name === 'redis')!;
  process.kill(-redis.pid!, 'SIGKILL');
  const stranger = spawn('sleep', ['120'], { detached: true, stdio: 'ignore', cwd: '/' });
  redis.pid = stranger.pid!;
  if (legacy) for (const i of state.instances) delete i.identity;
  await writeState(dir, state);
  return stranger;
}

describe('pids the kernel gave to another program', () => {
  it('are never signalled: down leaves that program running, and status calls the instance exited', async () => {
    const stranger = await redisPidTakenByAnother(false);
    try {
      const status = await runCli(['status', '--lab', REUSED, '--json']);
      expect(JSON.parse(status.stdout).instances.find((i: { id: string }) => i.id === 'redis')).toMatchObject({
        state: 'exited',
        pid: null,
      });
      const up = await runCli(['up', '--runtime', 'process', '--lab', REUSED, '--port', '0'], 120_000);
      expect(up.stderr).not.toContain('is already up');
      expect((await runCli(['down', '--lab', REUSED])).code).toBe(0);
      expect(isAlive(stranger.pid!), 'the other program still runs').toBe(true);
    } finally {
      stranger.kill('SIGKILL');
    }
  });
});

describe.runIf(process.getuid?.() === 0)('a state folder Postgres cannot reach', () => {
  it('up names the folder and the fix, and starts nothing', async () => {
    const top = mkdtempSync(join(tmpdir(), 'w2meet-private-'));
    try {
      const res = await runCli(['up', '--runtime', 'process', '--lab', 'w2meet-private-it', '--port', '0'], {
        env: { W2MEET_STATE_DIR: join(top, 'state') },
      });
      expect(res.code, res.stderr).toBe(1);
      expect(res.stderr).toContain(`cannot enter ${top} (mode 700)`);
      expect(res.stderr).toContain(`chmod o+x ${top}`);
      expect(existsSync(join(top, 'state', 'w2meet-private-it', 'state.json'))).toBe(false);
    } finally {
      rmSync(top, { recursive: true, force: true });
    }
  });
});

describe('a lab recorded before process identities were kept', () => {
  it('down still stops its processes, and still spares a program that took one of its pids', async () => {
    const stranger = await redisPidTakenByAnother(true);
    try {
      expect((await runCli(['down', '--lab', REUSED])).code).toBe(0);
      expect(isAlive(stranger.pid!), 'the other program still runs').toBe(true);
      await new Promise((r) => setTimeout(r, 500));
      expect(processesUnder(labDir(REUSED))).toEqual([]);
    } finally {
      stranger.kill('SIGKILL');
    }
  });
});

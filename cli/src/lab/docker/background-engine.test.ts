import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { identityOf } from '../process-identity.js';
import { stopRecordedEngine } from './background-engine.js';

// stopRecordedEngine is tried on a `sleep` standing in for dockerd: what matters is which process
// it signals, and a sleep has no Engine to stop.
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

function standIn() {
  const child = spawn('sleep', ['30'], { stdio: 'ignore' });
  cleanups.push(() => child.kill('SIGKILL'));
  const exited = new Promise((r) => child.once('exit', r));
  const dir = mkdtempSync(join(tmpdir(), 'w2meet-engine-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return { child, exited, dir, env: { W2MEET_ENGINE_DIR: dir } };
}

describe('the background Engine record', () => {
  it('stops the recorded process', async () => {
    const { child, exited, dir, env } = standIn();
    writeFileSync(join(dir, 'dockerd.json'), JSON.stringify({ ...identityOf(child.pid!), log: '', startedAt: '' }));
    expect(await stopRecordedEngine(env, 5000)).toEqual({ stopped: true, pid: child.pid });
    await exited;
    expect(existsSync(join(dir, 'dockerd.json'))).toBe(false);
  });

  it('never signals a pid that now names another process', async () => {
    const { child, dir, env } = standIn();
    const reused = { ...identityOf(child.pid!)!, startTime: '1' };
    writeFileSync(join(dir, 'dockerd.json'), JSON.stringify({ ...reused, log: '', startedAt: '' }));
    const outcome = await stopRecordedEngine(env, 5000);
    expect(outcome.stopped).toBe(false);
    expect(child.exitCode).toBeNull();
    expect(identityOf(child.pid!)).not.toBeNull();
    expect(existsSync(join(dir, 'dockerd.json'))).toBe(false);
  });

  it('with no record, says so and stops nothing', async () => {
    const { env } = standIn();
    expect(await stopRecordedEngine(env)).toMatchObject({ stopped: false });
  });
});

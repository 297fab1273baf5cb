import { dockerdArgs, readDaemonJson } from './userland-proxy.js';
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type Docker from 'dockerode';
import { EngineStartError } from '../../errors.js';
import { identityOf, isSameProcess, type ProcessIdentity } from '../process-identity.js';
import { logTail } from '../log-tail.js';
import { pingDocker } from './engine.js';

/**
 * A Docker Engine that w2meet starts itself, where docker.io is installed but nothing runs it (no
 * systemd here). It listens on the default socket, so every Docker tool on the machine uses it.
 * Its log and its identity live in one folder w2meet owns; only the process recorded there, by pid,
 * start time and boot, is ever stopped.
 */
export function engineDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.W2MEET_ENGINE_DIR ?? '/var/lib/w2meet/engine';
}

export interface EngineRecord extends ProcessIdentity {
  log: string;
  startedAt: string;
}

function recordPath(dir: string): string {
  return join(dir, 'dockerd.json');
}

export function readEngineRecord(dir: string): EngineRecord | null {
  try {
    return JSON.parse(readFileSync(recordPath(dir), 'utf8')) as EngineRecord;
  } catch {
    return null;
  }
}

/**
 * Starts `dockerd` with its output in `log`. Detached, it outlives this process. Without the
 * userland proxy: published ports are then reached by iptables alone, where `docker-proxy` would
 * copy every byte of every request to the gateway through a process of its own.
 */
export function spawnDockerd(dockerd: string, log: string, detached: boolean): ChildProcess {
  const out = openSync(log, 'a');
  try {
    const child = spawn(dockerd, dockerdArgs(readDaemonJson()), { detached, stdio: ['ignore', out, out] });
    if (detached) child.unref();
    return child;
  } finally {
    closeSync(out);
  }
}

/** Waits until the Engine answers, or fails with its log's tail when it exits or stays silent. */
export async function waitForEngine(docker: Docker, child: ChildProcess, log: string, timeoutMs = 30_000): Promise<string> {
  let exited: number | null = null;
  child.once('exit', (code) => {
    exited = code ?? -1;
  });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const version = await pingDocker(docker);
    if (version) return version;
    if (exited !== null) {
      throw new EngineStartError(`dockerd exited (code ${exited}) before it answered:\n${logTail(log)}`, log);
    }
    if (Date.now() > deadline) {
      throw new EngineStartError(`dockerd did not answer within ${timeoutMs / 1000} s:\n${logTail(log)}`, log);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Starts a background Engine and records it; returns its version and where its log is. */
export async function startBackgroundEngine(
  docker: Docker,
  dockerd: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ version: string; record: EngineRecord }> {
  const dir = engineDir(env);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const log = join(dir, 'dockerd.log');
  const child = spawnDockerd(dockerd, log, true);
  const identity = child.pid ? identityOf(child.pid) : null;
  if (!identity) throw new EngineStartError(`dockerd did not start:\n${logTail(log)}`, log);
  const record: EngineRecord = { ...identity, log, startedAt: new Date().toISOString() };
  writeFileSync(recordPath(dir), `${JSON.stringify(record, null, 2)}\n`);
  try {
    return { version: await waitForEngine(docker, child, log), record };
  } catch (err) {
    await stopRecordedEngine(env);
    throw err;
  }
}

export type StopOutcome = { stopped: true; pid: number } | { stopped: false; why: string };

/**
 * Stops the Engine that `startBackgroundEngine` recorded, and only that one: a pid that now names
 * another process (after a reboot) is left alone and the record dropped. Safe to repeat.
 */
export async function stopRecordedEngine(env: NodeJS.ProcessEnv = process.env, graceMs = 30_000): Promise<StopOutcome> {
  const dir = engineDir(env);
  const record = readEngineRecord(dir);
  if (!record) return { stopped: false, why: `w2meet started no Docker Engine (no record in ${dir})` };
  if (!isSameProcess(record)) {
    rmSync(recordPath(dir), { force: true });
    return { stopped: false, why: `the dockerd w2meet started (pid ${record.pid}) no longer runs` };
  }
  process.kill(record.pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (isSameProcess(record) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  if (isSameProcess(record)) process.kill(record.pid, 'SIGKILL');
  rmSync(recordPath(dir), { force: true });
  return { stopped: true, pid: record.pid };
}

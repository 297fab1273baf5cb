import { spawn } from 'node:child_process';
import { bootId, identityOf, isSameProcess, type ProcessIdentity } from '../process-identity.js';
import { closeSync, mkdirSync, openSync, readFileSync, readlinkSync } from 'node:fs';
import { dirname } from 'node:path';
import type { InstanceState } from '../runtime.js';
import type { Spawnable } from './state.js';
import { groupAlive } from '../process-group.js';

/**
 * Starts and signals the lab's processes. Each runs in its own process group (detached), so a
 * signal reaches the program and whatever it started itself (RabbitMQ's Erlang VM, nginx's
 * workers), and the lab outlives the `w2meet up` that started it.
 */
export interface Spawned {
  pid: number;
  /** False once the process has exited (known only to the process that spawned it). */
  alive: () => boolean;
}

export function spawnInstance(instance: Spawnable): Spawned {
  mkdirSync(dirname(instance.logFile), { recursive: true });
  const out = openSync(instance.logFile, 'a');
  let exited = false;
  try {
    const child = spawn(instance.command, instance.args, {
      cwd: instance.cwd,
      env: instance.env,
      detached: true,
      stdio: ['ignore', out, out],
      ...(instance.uid !== undefined ? { uid: instance.uid, gid: instance.gid } : {}),
    });
    if (child.pid === undefined) throw new Error(`cannot start ${instance.command}`);
    child.on('exit', () => {
      exited = true;
    });
    child.on('error', () => {
      exited = true;
    });
    child.unref();
    return { pid: child.pid, alive: () => !exited && isAlive(child.pid!) };
  } finally {
    closeSync(out);
  }
}

/** The kernel's view of a process: R/S/D running, T stopped (paused), Z or gone exited. */
export function processState(pid: number | null): InstanceState {
  if (!pid) return 'stopped';
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    if (state === 'Z' || state === 'X') return 'exited';
    if (state === 'T' || state === 't') return 'paused';
    return 'running';
  } catch {
    return 'exited';
  }
}

/** An instance's pid with what it named when it was started. */
export interface OwnedPid {
  pid: number | null;
  identity?: Omit<ProcessIdentity, 'pid'> | null;
  /** The folder it was started in: how a process recorded before identities were kept is told apart. */
  cwd?: string;
}

/**
 * A lab recorded before w2meet kept identities has pids alone. Such a pid is taken as the lab's
 * only while it runs in the folder the instance was started in (the lab's own), or names that
 * folder on its command line (Postgres's -D, Redis's --dir, nginx's -p): another program that got
 * the pid after a reboot does neither.
 */
function legacyOurs(pid: number, cwd: string | undefined): boolean {
  if (!cwd || identityOf(pid) === null) return false;
  try {
    if (readlinkSync(`/proc/${pid}/cwd`) === cwd) return true;
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8')
      .split('\0')
      .some((arg) => arg.startsWith(cwd));
  } catch {
    return false;
  }
}

/** Whether the recorded pid still names the process w2meet started (not one that took its pid since). */
export function stillOurs(i: OwnedPid): i is OwnedPid & { pid: number } {
  if (!i.pid) return false;
  if (!i.identity) return legacyOurs(i.pid, i.cwd);
  return isSameProcess({ pid: i.pid, ...i.identity });
}

/**
 * The instance's state as the kernel has it, counting a pid that now names another process as
 * exited: its own process is gone, whatever runs under that number now.
 */
export function instanceState(i: OwnedPid): InstanceState {
  if (!i.pid) return 'stopped';
  return stillOurs(i) ? processState(i.pid) : 'exited';
}

/**
 * Whether the instance's process group may be signalled: its leader is still ours, or the leader
 * is gone and members of its group are left (the kernel gives no new process a pid that is still a
 * group's id, so those members are the instance's). A pid reused by another program never is.
 */
export function groupIsOurs(i: OwnedPid): i is OwnedPid & { pid: number } {
  if (!i.pid) return false;
  if (stillOurs(i)) return true;
  // Only within the boot the leader was started in: after a reboot a recorded pid may equal the
  // group id of any program's group (a daemon's, whose leader has exited).
  if (!i.identity || i.identity.bootId !== bootId()) return false;
  return identityOf(i.pid) === null && groupAlive(i.pid);
}

/** The identity to record for a process just spawned (null when it is already gone). */
export function identityToRecord(pid: number): Omit<ProcessIdentity, 'pid'> | null {
  const id = identityOf(pid);
  return id && { startTime: id.startTime, bootId: id.bootId };
}

export function isAlive(pid: number): boolean {
  const state = processState(pid);
  return state === 'running' || state === 'paused';
}

/** Signals the whole process group; a group already gone is not an error. */
export function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
  }
}

/**
 * Asks the group to stop with the instance's own signal, waits, then kills what is left. A paused
 * group is continued first, or it could never act on the signal.
 */
export async function stopGroup(pid: number, signal: NodeJS.Signals, graceMs: number): Promise<void> {
  signalGroup(pid, 'SIGCONT');
  signalGroup(pid, signal);
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid) && !groupAlive(pid)) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  signalGroup(pid, 'SIGKILL');
  const killDeadline = Date.now() + 2000;
  while (Date.now() < killDeadline && (isAlive(pid) || groupAlive(pid))) await new Promise((r) => setTimeout(r, 25));
}

import { readFileSync } from 'node:fs';

/**
 * A process named so that it cannot be mistaken for another: its pid, the clock tick it started
 * at (field 22 of /proc/<pid>/stat) and the boot it started in. A pid alone is reused by the
 * kernel, after a reboot or a long time, and signalling a reused pid as root ends someone else's
 * program; the three together name one process only.
 */
export interface ProcessIdentity {
  pid: number;
  startTime: string;
  bootId: string;
}

export interface ProcFs {
  read(path: string): string;
}

const realProc: ProcFs = { read: (path) => readFileSync(path, 'utf8') };

/**
 * The start tick of a running process, or null when there is no such pid. A zombie counts as gone:
 * where PID 1 does not reap orphans, an exited process stays a zombie and would otherwise look
 * alive forever.
 */
export function startTimeOf(pid: number, proc: ProcFs = realProc): string | null {
  let stat: string;
  try {
    stat = proc.read(`/proc/${pid}/stat`);
  } catch {
    return null;
  }
  // The command name in parentheses may hold spaces and parentheses: fields are counted after the last ')'.
  const fields = stat
    .slice(stat.lastIndexOf(')') + 2)
    .trim()
    .split(' ');
  // fields[0] is field 3 (the state), so field 22 (starttime) is fields[19].
  if (fields[0] === 'Z' || fields[0] === 'X') return null;
  return fields[19] ?? null;
}

export function bootId(proc: ProcFs = realProc): string {
  try {
    return proc.read('/proc/sys/kernel/random/boot_id').trim();
  } catch {
    return 'unknown';
  }
}

/** The identity of a process that runs now, or null when the pid is gone. */
export function identityOf(pid: number, proc: ProcFs = realProc): ProcessIdentity | null {
  const startTime = startTimeOf(pid, proc);
  return startTime === null ? null : { pid, startTime, bootId: bootId(proc) };
}

/** Whether the pid still names the very process that was recorded. */
export function isSameProcess(recorded: ProcessIdentity, proc: ProcFs = realProc): boolean {
  const now = identityOf(recorded.pid, proc);
  return now !== null && now.startTime === recorded.startTime && now.bootId === recorded.bootId;
}

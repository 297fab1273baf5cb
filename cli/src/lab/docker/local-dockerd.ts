import { closeSync, constants, fstatSync, lstatSync, openSync, readdirSync, readFileSync, readlinkSync, readSync } from 'node:fs';
import { join } from 'node:path';

/** A daemon.json larger than this is not one w2meet reads. */
const MAX_CONFIG_BYTES = 1024 * 1024;

/** Whether a process runs as root from an executable only root can change: a local user's fake named dockerd is neither. */
function rootsOwnEngine(proc: string, pid: string): boolean {
  const uid = /^Uid:\s+(\d+)/m.exec(readFileSync(join(proc, pid, 'status'), 'utf8'))?.[1];
  if (uid !== '0') return false;
  const exe = lstatSync(readlinkSync(join(proc, pid, 'exe')));
  return exe.isFile() && exe.uid === 0 && (exe.mode & 0o022) === 0;
}

/** The command lines of the dockerd processes on this machine that are root's own Engine. */
export function dockerdCommandLines(proc = '/proc'): string[][] {
  const out: string[][] = [];
  for (const entry of readdirSync(proc)) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(join(proc, entry, 'comm'), 'utf8').trim() !== 'dockerd') continue;
      if (!rootsOwnEngine(proc, entry)) continue;
      out.push(
        readFileSync(join(proc, entry, 'cmdline'), 'utf8')
          .split('\0')
          .filter(Boolean),
      );
    } catch {
      // gone between the listing and the read, or not readable: not an Engine w2meet can vouch for
    }
  }
  return out;
}

/**
 * A small regular file's text, read without ever blocking (a FIFO in its place answers at once,
 * and is refused), at most MAX_CONFIG_BYTES; null where it cannot be read so.
 */
export function readSmallRegularFile(path: string): string | null {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch {
    return null;
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile() || stat.size > MAX_CONFIG_BYTES) return null;
    const buffer = Buffer.alloc(stat.size);
    const read = readSync(fd, buffer, 0, buffer.length, 0);
    return buffer.subarray(0, read).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { labDir } from '../src/shared/paths.js';
import { readState } from '../src/lab/process/state.js';
import { testLab } from './test-lab.js';

/** Every process of a process group, by pid. */
function groupMembers(pgid: number): number[] {
  return readdirSync('/proc')
    .filter((e) => /^\d+$/.test(e))
    .map(Number)
    .filter((pid) => {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]) === pgid;
      } catch {
        return false;
      }
    });
}

/** The socket inodes a process holds open. */
function socketInodes(pid: number): string[] {
  try {
    return readdirSync(`/proc/${pid}/fd`).flatMap((fd) => {
      try {
        return [/^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`))?.[1]].filter((x): x is string => !!x);
      } catch {
        return [];
      }
    });
  } catch {
    return [];
  }
}

/** Listening TCP sockets: inode → local address as the kernel writes it (hex). */
function listening(): Map<string, string> {
  const out = new Map<string, string>();
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of readFileSync(file, 'utf8').split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f[3] === '0A') out.set(f[9]!, f[1]!);
    }
  }
  return out;
}

const LOOPBACK = /^(0100007F|0000000000000000FFFF00000100007F|00000000000000000000000001000000):/;

describe.runIf(testLab().runtime === 'process')('the process lab listens on loopback only', () => {
  it('every listening socket of every lab process is bound to 127.0.0.1 (Erlang distribution included)', async () => {
    const state = (await readState(labDir(testLab().name)))!;
    const sockets = listening();
    const seen: string[] = [];
    for (const instance of state.instances) {
      if (!instance.pid) continue;
      for (const pid of groupMembers(instance.pid)) {
        for (const inode of socketInodes(pid)) {
          const address = sockets.get(inode);
          if (!address) continue;
          seen.push(`${instance.id} ${address}`);
          expect(address, `${instance.id} (pid ${pid}) listens on ${address}`).toMatch(LOOPBACK);
        }
      }
    }
    // The broker's AMQP and distribution ports, epmd, Postgres, Redis, nginx and every service.
    expect(seen.length).toBeGreaterThanOrEqual(state.instances.length + 1);
  });
});

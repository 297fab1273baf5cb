import { readdirSync, readFileSync } from 'node:fs';

/**
 * Whether any process of the group still runs. Zombies do not count: where PID 1 does not reap
 * orphans (some sandboxes), a stopped lab leaves zombies that would otherwise look alive forever.
 */
export function groupAlive(pgid: number): boolean {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue;
    }
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(fields[2]) === pgid && fields[0] !== 'Z' && fields[0] !== 'X') return true;
  }
  return false;
}

import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second of /proc/<pid>/stat's utime and stime (USER_HZ: 100 on Linux). */
const TICKS = 100;

interface ProcessTicks {
  pid: number;
  name: string;
  ticks: number;
}

/** A readable name: the program, and for Node the service it runs (W2MEET_SERVICE or its script). */
function nameOf(pid: number, comm: string): string {
  if (comm !== 'node' && comm !== 'MainThread') return comm;
  try {
    const environ = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
    const service = environ.find((e) => e.startsWith('W2MEET_SERVICE='))?.slice('W2MEET_SERVICE='.length);
    if (service) return `node ${service}`;
    const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
    const script = args.find((a) => /\.(c|m)?js$/.test(a));
    return script ? `node ${script.split('/').slice(-2).join('/')}` : 'node';
  } catch {
    return comm;
  }
}

function snapshot(): Map<number, ProcessTicks> {
  const out = new Map<number, ProcessTicks>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      // comm is in parentheses and may hold spaces: the fields after its closing one are fixed.
      const close = stat.lastIndexOf(')');
      const comm = stat.slice(stat.indexOf('(') + 1, close);
      const fields = stat.slice(close + 2).split(' ');
      const ticks = Number(fields[11]) + Number(fields[12]);
      out.set(pid, { pid, name: nameOf(pid, comm), ticks });
    } catch {
      // gone between the listing and the read
    }
  }
  return out;
}

/**
 * Where the CPU went while `work` ran: per program (processes of one name summed), as a share of
 * one core over the work's wall time, from /proc's utime + stime. Processes born during the work
 * count from zero.
 */
export async function cpuDuring<T>(work: () => Promise<T>): Promise<{ result: T; shares: Array<{ name: string; cores: number }> }> {
  const before = snapshot();
  const started = process.hrtime.bigint();
  const result = await work();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const after = snapshot();
  const byName = new Map<string, number>();
  for (const [pid, p] of after) {
    const used = p.ticks - (before.get(pid)?.ticks ?? 0);
    if (used > 0) byName.set(p.name, (byName.get(p.name) ?? 0) + used);
  }
  const shares = [...byName].map(([name, ticks]) => ({ name, cores: ticks / TICKS / seconds })).sort((a, b) => b.cores - a.cores);
  return { result, shares };
}

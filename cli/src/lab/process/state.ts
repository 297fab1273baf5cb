import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { ProcessIdentity } from '../process-identity.js';
import type { InstanceState, Timeline } from '../runtime.js';
import type { ComponentKind, LabSecrets } from '../spec.js';

/** How to check an instance once it is running, with everything the check needs. */
export type ProbeSpec =
  | { kind: 'http'; url: string }
  | { kind: 'postgres'; dsn: string }
  | { kind: 'redis'; host: string; port: number; password: string }
  | { kind: 'amqp'; url: string }
  | { kind: 'tcp'; host: string; port: number }
  | { kind: 'epmd'; host: string; port: number };

/** One process the lab runs: enough to start it again after a fault without the spec. */
export interface ProcessInstance {
  id: string;
  name: string;
  kind: ComponentKind;
  replica: number;
  command: string;
  args: string[];
  env: Record<string, string>;
  cwd: string;
  /** Set when the program refuses to run as root (Postgres). */
  uid?: number;
  gid?: number;
  stopSignal: NodeJS.Signals;
  port: number;
  probe: ProbeSpec;
  /** Instance ids that must be healthy before this one starts. */
  dependsOn: string[];
  /** Instance ids that must have started before this one starts. */
  startsAfter: string[];
  logFile: string;
  /** Further files this instance writes its logs to (the gateway's access log). */
  extraLogFiles: string[];
  startTimeoutMs: number;
  pid: number | null;
  /**
   * Which process `pid` named when it was started (its start tick and the boot): a pid alone is
   * reused by the kernel, and w2meet, often as root, must never signal someone else's program.
   */
  identity?: Omit<ProcessIdentity, 'pid'> | null;
  /** What the last fault verb left it as; the live state is read from /proc. */
  intended: InstanceState;
  startedAt: string | null;
  timeline: Timeline;
}

export interface ProcessLabState {
  version: 1;
  lab: string;
  runtime: 'process';
  createdAt: string;
  gatewayUrl: string;
  secrets: LabSecrets;
  instances: ProcessInstance[];
}

export function statePath(dir: string): string {
  return join(dir, 'state.json');
}

export async function readState(dir: string): Promise<ProcessLabState | null> {
  const path = statePath(dir);
  if (!existsSync(path)) return null;
  try {
    return JSON.parse(await readFile(path, 'utf8')) as ProcessLabState;
  } catch (err) {
    throw new Error(`${path} is unreadable (${(err as Error).message}); remove it and stop its processes by hand`);
  }
}

/** Written whole and renamed into place, so a crash never leaves half a state file. It holds secrets: 0600. */
export async function writeState(dir: string, state: ProcessLabState): Promise<void> {
  const path = statePath(dir);
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
  await rename(tmp, path);
}

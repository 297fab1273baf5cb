import { existsSync } from 'node:fs';
import { LabStateError } from '../../errors.js';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { ProcessIdentity } from '../process-identity.js';
import type { InstanceState } from '../runtime.js';
import type { DriverInstance } from '../lifecycle/driver.js';
import type { LabSecrets } from '../spec.js';
import type { ProbeSpec } from '../wait/probe-spec.js';

/** A program the lab runs as a process: enough to start it again after a fault without the spec. */
export interface Spawnable {
  id: string;
  command: string;
  args: string[];
  env: Record<string, string>;
  cwd: string;
  /** Set when the program refuses to run as root (Postgres). */
  uid?: number;
  gid?: number;
  stopSignal: NodeJS.Signals;
  port: number;
  logFile: string;
  pid: number | null;
  /**
   * Which process `pid` named when it was started (its start tick and the boot): a pid alone is
   * reused by the kernel, and w2meet, often as root, must never signal someone else's program.
   */
  identity?: Omit<ProcessIdentity, 'pid'> | null;
  /** What the last fault verb left it as; the live state is read from /proc. */
  intended: InstanceState;
  startedAt: string | null;
}

/**
 * A program an instance needs running beside it on processes only (RabbitMQ's epmd): started
 * before it, checked with its own probe, stopped when the lab goes down. Never a lab instance.
 */
export interface Companion extends Spawnable {
  probe: ProbeSpec;
}

/** One instance of the lab as a process. */
export interface ProcessInstance extends Spawnable, DriverInstance {
  /** Further files this instance writes its logs to (the gateway's access log). */
  extraLogFiles: string[];
  companions: Companion[];
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
    throw new LabStateError(`${path} is unreadable (${(err as Error).message})`, 'remove it and stop its processes by hand');
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

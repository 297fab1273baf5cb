import { statSync } from 'node:fs';
import { join } from 'node:path';
import { AbortedError, PrerequisiteError } from '../../errors.js';
import { freePorts } from '../free-port.js';
import { ensureLabDir } from '../lab-folder.js';
import type { CreateContext } from '../lifecycle/driver.js';
import { trimmedRabbitHome } from '../rabbitmq-apps.js';
import { writeSecretsFile } from '../secrets.js';
import type { LabSpec } from '../spec.js';
import { findBinaries, type BinaryName } from './binaries.js';
import { planProcesses, portKeys } from './plan.js';
import { prepareLab, systemUser } from './prepare.js';
import { firstBlockedFolder } from './reachable-folder.js';
import { writeState, type ProcessLabState } from './state.js';

export interface CreateInput {
  spec: LabSpec;
  dir: string;
  env: NodeJS.ProcessEnv;
  isRoot: boolean;
}

/**
 * Everything a process lab needs before its first process starts: the programs, the lab's own
 * folder, free loopback ports, the data folders (initdb) and configuration files, and its state
 * file, written before anything runs so that whatever starts can always be found and stopped.
 */
export async function createProcessLab({ spec, dir, env, isRoot }: CreateInput, context: CreateContext): Promise<ProcessLabState> {
  const binaries = findBinaries(env);
  const missing = (Object.keys(binaries) as BinaryName[]).filter((b) => !binaries[b]);
  if (missing.length) throw new PrerequisiteError(`the process runtime needs ${missing.join(', ')}, not found on this machine`);
  // The lab's folder first: nothing is written into a folder w2meet does not own.
  await ensureLabDir(spec.name, env);
  // RabbitMQ boots from a home of the lab's own that holds only the broker's applications.
  binaries['rabbitmq-server'] = trimmedRabbitHome(binaries['rabbitmq-server']!, join(dir, 'rabbitmq', 'home'));
  const keys = portKeys(spec);
  const free = await freePorts(keys.length);
  const ports = Object.fromEntries(keys.map((k, i) => [k, free[i]!]));
  if (spec.gatewayPort !== 0) ports.gateway = spec.gatewayPort;
  const postgresUser = isRoot ? (systemUser('postgres') ?? undefined) : undefined;
  if (isRoot && !postgresUser) {
    throw new PrerequisiteError('Postgres will not run as root and there is no `postgres` user to run it as');
  }
  const blocked = postgresUser && firstBlockedFolder(join(dir, 'postgres'), postgresUser);
  if (blocked) {
    const mode = (statSync(blocked).mode & 0o777).toString(8);
    throw new PrerequisiteError(
      `the postgres user, which runs the lab's Postgres, cannot enter ${blocked} (mode ${mode}) on the way to the lab's data in ${dir}`,
      `let it through with \`chmod o+x ${blocked}\`, or point W2MEET_STATE_DIR at a folder outside it`,
    );
  }
  const instances = planProcesses({ spec, dir, binaries, ports, postgresUser, baseEnv: env });
  const gateway = instances.find((i) => i.name === 'gateway')!;
  const state: ProcessLabState = {
    version: 1,
    lab: spec.name,
    runtime: 'process',
    createdAt: new Date().toISOString(),
    gatewayUrl: `http://127.0.0.1:${gateway.port}`,
    secrets: spec.secrets,
    instances,
  };
  // The credentials live beside the data they protect, and go with it (`down -v`).
  await writeSecretsFile(dir, spec.secrets);
  context.progress({ type: 'info', message: "preparing the lab's data folders" });
  await prepareLab(dir, spec, instances, binaries, postgresUser, context.signal);
  // initdb heard an interrupt itself; one between the steps is heard here, before anything starts.
  if (context.signal.aborted) throw new AbortedError('interrupted while preparing the lab; nothing was started');
  await writeState(dir, state);
  return state;
}

import { basename, dirname, resolve } from 'node:path';
import { AbortedError, ComposeError, PrerequisiteError, UsageError } from '../../errors.js';
import { runChildCommand, type ChildCommandOptions } from '../child-command.js';
import type { EngineClient } from '../docker/engine-client.js';
import { requireSafeRemote } from '../swarm/engine-here.js';

/** The labels compose puts on every container it makes, which is how w2meet finds them. */
export const COMPOSE_PROJECT = 'com.docker.compose.project';
export const COMPOSE_SERVICE = 'com.docker.compose.service';
export const COMPOSE_NUMBER = 'com.docker.compose.container-number';
export const COMPOSE_ONEOFF = 'com.docker.compose.oneoff';

/** How a command is run: runChildCommand, or what a unit test gives instead. */
export type RunCommand = (command: string, args: string[], options: ChildCommandOptions) => Promise<string>;

export interface ComposeCommandOptions {
  env?: NodeJS.ProcessEnv;
  /** The compose implementation, when it is known already; found by `findCompose` otherwise. */
  compose?: string[];
  run?: RunCommand;
}

export interface ComposeUpOptions extends ComposeCommandOptions {
  file: string;
  project: string;
  signal?: AbortSignal;
  onLine?: (line: string) => void;
}

export interface ComposeDownOptions extends ComposeCommandOptions {
  file: string;
  project: string;
}

/**
 * The compose implementation this machine has: the v2 plugin (`docker compose`) where installed,
 * else the standalone `docker-compose` (Debian packages 1.29). Both read the same files and put the
 * same labels on what they make, which is all w2meet relies on afterwards.
 */
export async function findCompose(options: Omit<ComposeCommandOptions, 'compose'> = {}): Promise<string[]> {
  const run = options.run ?? runChildCommand;
  for (const candidate of [['docker', 'compose'], ['docker-compose']]) {
    const answers = await run(candidate[0]!, [...candidate.slice(1), 'version'], { env: options.env }).then(
      () => true,
      () => false,
    );
    if (answers) return candidate;
  }
  throw new PrerequisiteError(
    'neither `docker compose` nor `docker-compose` answers on this machine',
    "install one: `apt-get install docker-compose` (Debian), or the Docker compose plugin (`apt-get install docker-compose-plugin` from Docker's repository)",
  );
}

/** `up -d --build` in the file's own folder, so the relative build contexts and env files of the file resolve as its author meant. */
export async function composeUp(options: ComposeUpOptions): Promise<void> {
  // The project's passwords go to the Engine with it: never to another machine's in the clear.
  requireSafeRemote(options.env ?? process.env);
  await composeRun(options, ['up', '-d', '--build'], { signal: options.signal, onLine: options.onLine });
}

/** `down --remove-orphans`, never `-v`: the named volumes may hold the student's own data. */
export async function composeDown(options: ComposeDownOptions): Promise<void> {
  await composeRun(options, ['down', '--remove-orphans'], {});
}

async function composeRun(
  options: ComposeDownOptions,
  verb: string[],
  extra: Pick<ChildCommandOptions, 'signal' | 'onLine'>,
): Promise<void> {
  const compose = options.compose ?? (await findCompose(options));
  const file = resolve(options.file);
  const args = [...compose.slice(1), '-f', file, '-p', options.project, ...verb];
  const run = options.run ?? runChildCommand;
  try {
    await run(compose[0]!, args, { cwd: dirname(file), env: options.env, ...extra });
  } catch (err) {
    if (err instanceof AbortedError) throw err;
    throw new ComposeError(`${compose.join(' ')} ${verb[0]} of ${options.file}: ${(err as Error).message}`);
  }
}

/**
 * The project name compose itself would take for a file (compose-go's NormalizeProjectName): its
 * folder's name, lower-cased, without characters outside [a-z0-9_-] and without leading `_`/`-`.
 * w2meet always passes `-p` with it, so a `name:` in the file or COMPOSE_PROJECT_NAME cannot make
 * compose and w2meet disagree about which containers are the project's.
 */
export function projectNameFor(file: string): string {
  const folder = basename(dirname(resolve(file)));
  const name = folder
    .toLowerCase()
    .replace(/[^a-z0-9_-]/g, '')
    .replace(/^[_-]+/, '');
  if (!name) throw new UsageError(`no compose project name can be made from the folder name "${folder}"`, 'pass --project NAME');
  return name;
}

/** Whether any container of the project exists, running or not (one-off `compose run` containers aside). */
export async function composeProjectExists(engine: EngineClient, project: string): Promise<boolean> {
  const found = await engine.containersByLabel(`${COMPOSE_PROJECT}=${project}`);
  return found.some((c) => c.labels[COMPOSE_ONEOFF] === 'False');
}

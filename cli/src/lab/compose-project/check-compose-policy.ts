import { dirname, resolve } from 'node:path';
import { execa } from 'execa';
import { parse } from 'yaml';
import { ComposeError, UsageError } from '../../errors.js';
import { openRegular } from '../no-follow.js';
import { findCompose } from './compose-command.js';
import { hostAccessInConfig, hostAccessInFile } from './compose-policy.js';

/** A compose file longer than this is not a student's project. */
const MAX_FILE_BYTES = 1024 * 1024;

export interface ComposePolicyOptions {
  file: string;
  project: string;
  env?: NodeJS.ProcessEnv;
  /** The teacher read the file and accepts what reaches the host: the findings are printed, not refused. */
  allowHostAccess?: boolean;
  compose?: string[];
}

/** The file as written, opened without following a link (it sits in a student's folder). */
async function readComposeFile(file: string): Promise<unknown> {
  const handle = await openRegular(file);
  if (!handle) throw new UsageError(`no compose file at ${file}`, 'pass the path of the docker-compose.yml to grade');
  try {
    const { size } = await handle.stat();
    if (size > MAX_FILE_BYTES) throw new UsageError(`${file} is ${size} bytes: not a compose file w2meet reads (at most 1 MiB)`);
    return parse((await handle.readFile()).toString('utf8'), { merge: true });
  } finally {
    await handle.close();
  }
}

/** The project as compose resolves it: `config` (JSON from the v2 plugin; YAML from Debian's compose 1.29, which has no JSON). */
async function resolvedConfig(compose: string[], file: string, project: string, env: NodeJS.ProcessEnv): Promise<unknown> {
  const json = compose[0] === 'docker';
  const args = [...compose.slice(1), '-f', file, '-p', project, 'config', ...(json ? ['--format', 'json'] : [])];
  const done = await execa(compose[0]!, args, {
    cwd: dirname(file),
    env,
    extendEnv: false,
    stdin: 'ignore',
    reject: false,
    maxBuffer: 16 * 1024 * 1024,
    timeout: 60_000,
  });
  if (done.exitCode !== 0)
    throw new ComposeError(`${compose.join(' ')} config of ${file}: ${String(done.stderr).slice(-2000) || done.shortMessage}`);
  return parse(String(done.stdout), { merge: true });
}

/**
 * Checks a foreign compose file before anything of it runs: what reaches the grading machine
 * (privileged, host namespaces, devices, capabilities, bind mounts, secrets, env files, build
 * contexts or extends outside the file's folder) is refused, naming each, unless allowed.
 */
export async function checkComposePolicy(options: ComposePolicyOptions): Promise<string[]> {
  const file = resolve(options.file);
  const folder = dirname(file);
  const written = await readComposeFile(file);
  const compose = options.compose ?? (await findCompose({ env: options.env }));
  const config = await resolvedConfig(compose, file, options.project, options.env ?? process.env);
  const findings = [...hostAccessInConfig(config, folder), ...hostAccessInFile(written, folder)];
  if (findings.length && !options.allowHostAccess)
    throw new UsageError(
      `${options.file} reaches the grading machine, so nothing of it was started:\n  ${findings.join('\n  ')}`,
      'read the file, then grade it with --allow-host-access if you accept that; or ask its author to remove those keys',
    );
  return findings;
}

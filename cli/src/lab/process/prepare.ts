import { existsSync, readFileSync } from 'node:fs';
import { chownFolder, createFresh } from '../no-follow.js';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { LabStartError, W2meetError } from '../../errors.js';
import { runChildCommand } from '../child-command.js';
import { renderGatewayConfig } from '../gateway-config.js';
import type { LabSpec } from '../spec.js';
import type { BinaryName } from './binaries.js';
import type { ProcessInstance } from './state.js';

/** RabbitMQ's memory watermark on processes: a fifth of the machine, shared with the rest of the lab. */
export const PROCESS_WATERMARK = 0.2;

/** The uid/gid of a system user, read from /etc/passwd (no extra dependency, no shell). */
export function systemUser(name: string): { uid: number; gid: number } | null {
  try {
    for (const line of readFileSync('/etc/passwd', 'utf8').split('\n')) {
      const [user, , uid, gid] = line.split(':');
      if (user === name) return { uid: Number(uid), gid: Number(gid) };
    }
  } catch {
    /* no passwd file: not a Debian-like host */
  }
  return null;
}

/**
 * Postgres's data folder, created once per lab with initdb and kept across `down` unless
 * `--volumes` (as a compose volume would be). Owned by the postgres user when w2meet runs as root.
 */
async function preparePostgres(dir: string, spec: LabSpec, initdb: string, owner?: { uid: number; gid: number }, signal?: AbortSignal) {
  const pgDir = join(dir, 'postgres');
  const data = join(pgDir, 'data');
  // The folder is the postgres user's (and the lab's database user a superuser, whose COPY ... TO
  // PROGRAM runs as that user): what is in it is opened without following a link, used by descriptor.
  await mkdir(pgDir, { recursive: true });
  await mkdir(join(pgDir, 'run')).catch((err: NodeJS.ErrnoException) => {
    if (err.code !== 'EEXIST') throw err;
  });
  if (owner) for (const d of [pgDir, join(pgDir, 'run')]) await chownFolder(d, owner.uid, owner.gid);
  if (existsSync(join(data, 'PG_VERSION'))) return;
  const pwfile = join(pgDir, 'pwfile');
  const pw = await createFresh(pwfile, 0o600);
  try {
    await pw.write(`${spec.secrets.postgresPassword}\n`);
    if (owner) await pw.chown(owner.uid, owner.gid);
    // Not spawnSync: a blocked event loop would not hear Ctrl-C until initdb was done.
    await runChildCommand(
      initdb,
      [
        '-D',
        data,
        '-U',
        spec.secrets.postgresUser,
        `--pwfile=${pwfile}`,
        '--auth-host=scram-sha-256',
        '--auth-local=peer',
        '-E',
        'UTF8',
        '--locale=C',
        '--no-sync',
      ],
      { cwd: pgDir, signal, code: 'LAB_START', ...(owner ? { uid: owner.uid, gid: owner.gid } : {}) },
    );
  } catch (err) {
    // A half-made data folder would pass for a made one (PG_VERSION comes early) on the next up.
    await rm(data, { recursive: true, force: true });
    if (err instanceof W2meetError && err.code === 'LAB_START') throw new LabStartError(`initdb failed for postgres: ${err.message}`);
    throw err;
  } finally {
    // Emptied through the descriptor w2meet made it with, whatever is at its name now.
    await pw.truncate(0);
    await pw.close();
  }
}

async function prepareRabbit(dir: string, spec: LabSpec) {
  const rmq = join(dir, 'rabbitmq');
  await mkdir(join(rmq, 'mnesia'), { recursive: true });
  await mkdir(join(rmq, 'log'), { recursive: true });
  // Only the lab's own user, with the lab's generated password; the guest user is never created.
  await writeFile(
    join(rmq, 'rabbitmq.conf'),
    [
      `default_user = ${spec.secrets.rabbitUser}`,
      `default_pass = ${spec.secrets.rabbitPassword}`,
      'loopback_users = none',
      `vm_memory_high_watermark.relative = ${PROCESS_WATERMARK}`,
      '',
    ].join('\n'),
    { mode: 0o600 },
  );
  await writeFile(join(rmq, 'advanced.config'), '[].\n');
  await writeFile(join(rmq, 'rabbitmq-env.conf'), '');
  await writeFile(join(rmq, 'enabled_plugins'), '[].\n');
}

export async function prepareGateway(dir: string, spec: LabSpec, instances: ProcessInstance[]) {
  const nginx = join(dir, 'nginx');
  await mkdir(join(nginx, 'temp'), { recursive: true });
  const upstreams: Record<string, string[]> = {};
  for (const i of instances) {
    if (i.kind === 'service') (upstreams[i.name] ??= []).push(`127.0.0.1:${i.port}`);
  }
  const gateway = instances.find((i) => i.name === 'gateway')!;
  const config = renderGatewayConfig(spec, {
    listen: `127.0.0.1:${gateway.port}`,
    upstreams,
    pidFile: join(nginx, 'nginx.pid'),
    errorLog: join(dir, 'logs', 'gateway.log'),
    accessLog: join(dir, 'logs', 'gateway-access.log'),
    tempDir: join(nginx, 'temp'),
  });
  await writeFile(join(nginx, 'nginx.conf'), config);
}

/** Folders and configuration every component needs before the first process starts. */
export async function prepareLab(
  dir: string,
  spec: LabSpec,
  instances: ProcessInstance[],
  binaries: Record<BinaryName, string | null>,
  postgresOwner?: { uid: number; gid: number },
  signal?: AbortSignal,
): Promise<void> {
  await mkdir(join(dir, 'logs'), { recursive: true });
  await mkdir(join(dir, 'redis'), { recursive: true, mode: 0o700 });
  await writeFile(join(dir, 'redis', 'redis.conf'), `requirepass ${spec.secrets.redisPassword}\n`, { mode: 0o600 });
  await Promise.all([
    preparePostgres(dir, spec, binaries.initdb!, postgresOwner, signal),
    prepareRabbit(dir, spec),
    prepareGateway(dir, spec, instances),
  ]);
}

import { accessSync, constants, existsSync, readdirSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** Programs the process runtime runs, and the Debian package each comes from. */
export const PROCESS_BINARIES = {
  postgres: { package: 'postgresql' },
  initdb: { package: 'postgresql' },
  'redis-server': { package: 'redis-server' },
  'rabbitmq-server': { package: 'rabbitmq-server' },
  epmd: { package: 'erlang-base' },
  nginx: { package: 'nginx-light' },
} as const;
export type BinaryName = keyof typeof PROCESS_BINARIES;

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export function onPath(name: string, env: NodeJS.ProcessEnv = process.env): string | null {
  for (const dir of (env.PATH ?? '').split(delimiter).concat(['/usr/sbin', '/sbin'])) {
    const candidate = join(dir, name);
    if (dir && isExecutable(candidate)) return candidate;
  }
  return null;
}

/** Debian keeps the Postgres server programs in a versioned folder, off PATH; newest first. */
function postgresBinDirs(): string[] {
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return [];
  return readdirSync(base)
    .filter((v) => /^\d+$/.test(v))
    .sort((a, b) => Number(b) - Number(a))
    .map((v) => join(base, v, 'bin'));
}

/**
 * Where each program is, or null. RabbitMQ is run through its own script, not Debian's wrapper,
 * because the wrapper insists on the system node's user, folders and log files.
 */
export function findBinary(name: BinaryName, env: NodeJS.ProcessEnv = process.env): string | null {
  if (name === 'postgres' || name === 'initdb') {
    for (const dir of postgresBinDirs()) {
      if (isExecutable(join(dir, name))) return join(dir, name);
    }
    return onPath(name, env);
  }
  if (name === 'rabbitmq-server') {
    const direct = '/usr/lib/rabbitmq/bin/rabbitmq-server';
    return isExecutable(direct) ? direct : onPath(name, env);
  }
  return onPath(name, env);
}

export function findBinaries(env: NodeJS.ProcessEnv = process.env): Record<BinaryName, string | null> {
  const out = {} as Record<BinaryName, string | null>;
  for (const name of Object.keys(PROCESS_BINARIES) as BinaryName[]) out[name] = findBinary(name, env);
  return out;
}

import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { LabSecrets } from './spec.js';

/** Fresh credentials for one lab: random passwords, nothing shared between labs. */
export function generateSecrets(random: (n: number) => Buffer = randomBytes): LabSecrets {
  const token = () => random(18).toString('base64url');
  return {
    postgresUser: 'w2meet',
    postgresPassword: token(),
    postgresDb: 'w2meet',
    rabbitUser: 'w2meet',
    rabbitPassword: token(),
    redisPassword: token(),
  };
}

/**
 * Credentials kept from before Redis had a password lack one. Redis keeps no data, so any password
 * would do; one derived from the lab's own keeps every reader of the same credentials in step.
 */
export function completeSecrets(stored: Omit<LabSecrets, 'redisPassword'> & { redisPassword?: string }): LabSecrets {
  return {
    ...stored,
    redisPassword: stored.redisPassword ?? createHash('sha256').update(`${stored.postgresPassword}:redis`).digest('base64url').slice(0, 24),
  };
}

/** The credentials file of a lab folder (the process runtime keeps it beside the data), or null. */
export async function readSecretsFile(dir: string): Promise<LabSecrets | null> {
  const path = join(dir, 'secrets.json');
  return existsSync(path) ? completeSecrets(JSON.parse(await readFile(path, 'utf8'))) : null;
}

export async function writeSecretsFile(dir: string, secrets: LabSecrets): Promise<void> {
  await writeFile(join(dir, 'secrets.json'), `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600 });
}

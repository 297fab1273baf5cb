import { randomBytes } from 'node:crypto';
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

type StoredSecrets = Omit<LabSecrets, 'redisPassword'> & { redisPassword?: string };

/**
 * Credentials kept from before Redis had a password lack one. Redis keeps no data, so a new random
 * one does; whoever keeps the credentials saves it (readSecretsFile does) so every reader agrees.
 */
export function completeSecrets(stored: StoredSecrets): LabSecrets {
  return { ...stored, redisPassword: stored.redisPassword ?? randomBytes(18).toString('base64url') };
}

/** The credentials file of a lab folder (the process runtime keeps it beside the data), or null. */
export async function readSecretsFile(dir: string): Promise<LabSecrets | null> {
  const path = join(dir, 'secrets.json');
  if (!existsSync(path)) return null;
  const stored = JSON.parse(await readFile(path, 'utf8')) as StoredSecrets;
  const secrets = completeSecrets(stored);
  if (!stored.redisPassword) await writeSecretsFile(dir, secrets);
  return secrets;
}

export async function writeSecretsFile(dir: string, secrets: LabSecrets): Promise<void> {
  await writeFile(join(dir, 'secrets.json'), `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600 });
}

import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
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
  };
}

/**
 * A lab keeps its credentials as long as it keeps its data (Postgres's users live in its data
 * folder), so they are stored beside the data and reused by the next `up`.
 */
export async function loadOrCreateSecrets(dir: string): Promise<LabSecrets> {
  const path = join(dir, 'secrets.json');
  if (existsSync(path)) return JSON.parse(await readFile(path, 'utf8')) as LabSecrets;
  const secrets = generateSecrets();
  await mkdir(dir, { recursive: true });
  await writeFile(path, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600 });
  return secrets;
}

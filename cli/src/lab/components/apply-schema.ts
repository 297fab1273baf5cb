import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import { packageRoot } from '../../shared/paths.js';
import type { LabSecrets } from '../spec-types.js';

/** A double-quoted SQL identifier: quotes inside are doubled, as Postgres reads them. */
export function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * Creates the lab's database (once) and applies the schema from compose/initdb, on either runtime:
 * a Postgres on a loopback port, or a container's address on the lab network. Values travel as
 * query parameters; the one name SQL cannot take as a parameter is quoted as an identifier.
 */
export async function applySchema(secrets: LabSecrets, at: { host: string; port: number }): Promise<void> {
  const connect = async (database: string) => {
    const client = new pg.Client({
      ...at,
      user: secrets.postgresUser,
      password: secrets.postgresPassword,
      database,
      connectionTimeoutMillis: 5000,
    });
    await client.connect();
    return client;
  };
  const admin = await connect('postgres');
  try {
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [secrets.postgresDb]);
    if (exists.rowCount === 0) await admin.query(`CREATE DATABASE ${quoteIdentifier(secrets.postgresDb)}`);
  } finally {
    await admin.end();
  }
  const db = await connect(secrets.postgresDb);
  try {
    await db.query(await readFile(join(packageRoot(), 'compose', 'initdb', '001-schema.sql'), 'utf8'));
  } finally {
    await db.end();
  }
}

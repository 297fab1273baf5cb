import pg from 'pg';
import { normalizeAvailabilities, type Availabilities, type Preference, type User } from './user-model.js';

/** Postgres cannot be used right now (down, restarting, unreachable, timed out). */
export class StoreUnavailableError extends Error {
  readonly code = 'STORE_UNAVAILABLE';
}

interface Row {
  email: string;
  availabilities: Availabilities;
  preferences: Preference | null;
  created_at: Date;
}

const COLUMNS = 'email, availabilities, preferences, created_at';

function toUser(row: Row): User {
  return {
    email: row.email,
    // JSONB keeps keys in its own order; responses list the weekdays monday first.
    availabilities: normalizeAvailabilities(row.availabilities),
    preferences: row.preferences ?? 'first',
    created_at: row.created_at.toISOString(),
  };
}

/** SQLSTATE classes and client errors that mean "the database is away", not "the query is wrong". */
function isUnavailable(err: unknown): boolean {
  const e = err as { code?: string; message?: string };
  if (typeof e.code === 'string') {
    if (e.code.startsWith('08') || e.code.startsWith('57P') || e.code === '53300') return true;
    if (['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN'].includes(e.code)) return true;
  }
  return /timeout|terminated|Connection ended|connect/i.test(e.message ?? '');
}

/**
 * The user table. Every statement is parameterised. The pool opens connections on demand, so when
 * Postgres comes back the next query simply succeeds: no restart of the service is needed.
 */
export class UserStore {
  private readonly pool: pg.Pool;

  constructor(dsn: string, timeoutMs: number, poolSize: number) {
    this.pool = new pg.Pool({
      connectionString: dsn,
      max: poolSize,
      connectionTimeoutMillis: timeoutMs,
      query_timeout: timeoutMs,
      idleTimeoutMillis: 30_000,
    });
    // A dropped idle connection is reported here; without a listener it would crash the process.
    this.pool.on('error', () => {});
  }

  private async query(text: string, values: unknown[]): Promise<Row[]> {
    try {
      const res = await this.pool.query<Row>(text, values);
      return res.rows;
    } catch (err) {
      if (isUnavailable(err)) throw new StoreUnavailableError((err as Error).message);
      throw err;
    }
  }

  /** Inserts a new user; null when the email is taken (the existing row is left as it is). */
  async create(email: string, availabilities: Availabilities, preferences: Preference): Promise<User | null> {
    const rows = await this.query(
      `INSERT INTO useravail (email, availabilities, preferences, created_at) VALUES ($1, $2, $3, now())
       ON CONFLICT (email) DO NOTHING RETURNING ${COLUMNS}`,
      [email, JSON.stringify(availabilities), preferences],
    );
    return rows[0] ? toUser(rows[0]) : null;
  }

  async get(email: string): Promise<User | null> {
    const rows = await this.query(`SELECT ${COLUMNS} FROM useravail WHERE email = $1`, [email]);
    return rows[0] ? toUser(rows[0]) : null;
  }

  async update(email: string, availabilities: Availabilities | null, preferences: Preference | null): Promise<User | null> {
    const rows = await this.query(
      `UPDATE useravail SET availabilities = COALESCE($2::jsonb, availabilities),
         preferences = COALESCE($3, preferences) WHERE email = $1 RETURNING ${COLUMNS}`,
      [email, availabilities ? JSON.stringify(availabilities) : null, preferences],
    );
    return rows[0] ? toUser(rows[0]) : null;
  }

  async delete(email: string): Promise<boolean> {
    const rows = await this.query(`DELETE FROM useravail WHERE email = $1 RETURNING ${COLUMNS}`, [email]);
    return rows.length > 0;
  }

  async ping(): Promise<void> {
    await this.query('SELECT 1', []);
  }

  close(): Promise<void> {
    return this.pool.end();
  }
}

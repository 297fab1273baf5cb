import pg from 'pg';
import { MissingCapabilityError, NothingToUndoError } from '../../errors.js';
import type { SqlStep } from '../scenario-types.js';
import type { StepContext, StepOutcome } from '../step-context.js';

async function execute(dsn: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: dsn, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/**
 * Breaks user-service from the inside with a statement on its database (a renamed table makes it
 * answer 500, which is how the 502 mapping upstream is reached); the undo statement is kept in the
 * ledger and runs at the end of the scenario whatever happened.
 */
export async function runSqlStep(step: SqlStep, ctx: StepContext): Promise<StepOutcome> {
  const dsn = ctx.target.lab?.pgDsn;
  if (!dsn || !ctx.faults)
    throw new MissingCapabilityError("sql steps need the lab's Postgres, which cannot be reached from here", 'database');
  const start = ctx.clock.nowUs();
  const { run, undo, undo_of: undoOf } = step.sql;
  if (undoOf) {
    if (!(await ctx.faults.undoNow(undoOf))) throw new NothingToUndoError(undoOf);
  } else {
    await execute(dsn, run!);
    if (undo) ctx.faults.remember(step.name, () => execute(dsn, undo));
  }
  return { metrics: { duration_ms: (ctx.clock.nowUs() - start) / 1000 } };
}

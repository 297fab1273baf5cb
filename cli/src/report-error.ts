import { CommanderError } from 'commander';
import { W2meetError } from './errors.js';
import { engineLost } from './lab/docker/engine-lost.js';

/**
 * What a person sees of an error that reached the top, and the exit code: a W2meetError's message
 * and hint; anything else is a bug of w2meet's and says how to report it.
 */
export function reportError(caught: unknown, write: (text: string) => void, env: NodeJS.ProcessEnv = process.env): number {
  // Commander has printed the message; help and --version end with 0, every usage error with 2.
  if (caught instanceof CommanderError) return caught.exitCode === 0 ? 0 : 2;
  // An Engine that stops taking connections part-way says so, not as a bug of w2meet's.
  const err = engineLost(caught, env) ?? caught;
  if (err instanceof W2meetError) {
    write(`w2meet: ${err.message}\n`);
    if (err.hint) write(`  hint: ${err.hint}\n`);
    return err.exitCode;
  }
  write(`w2meet: unexpected error: ${(err as Error).message}\n`);
  if (env.W2MEET_DEBUG) write(`${(err as Error).stack}\n`);
  else write('  hint: run again with W2MEET_DEBUG=1 for the stack trace, and report it\n');
  return 1;
}

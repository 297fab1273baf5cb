import { CommanderError } from 'commander';
import { W2meetError } from './errors.js';
import { buildProgram } from './program.js';

// A reader that has gone (`w2meet grade | head`) is no failure of the command: what is left to
// print is dropped, and the command still finishes its work (a lab it started is still taken down).
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err;
  });
}

/** The one place errors become messages and exit codes; library code never exits. */
async function main(): Promise<void> {
  try {
    await buildProgram().parseAsync(process.argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      // Commander has printed the message; help and --version end with 0, every usage error with 2.
      process.exitCode = err.exitCode === 0 ? 0 : 2;
      return;
    }
    if (err instanceof W2meetError) {
      process.stderr.write(`w2meet: ${err.message}\n`);
      if (err.hint) process.stderr.write(`  hint: ${err.hint}\n`);
      process.exitCode = err.exitCode;
      return;
    }
    process.stderr.write(`w2meet: unexpected error: ${(err as Error).message}\n`);
    if (process.env.W2MEET_DEBUG) process.stderr.write(`${(err as Error).stack}\n`);
    else process.stderr.write('  hint: run again with W2MEET_DEBUG=1 for the stack trace, and report it\n');
    process.exitCode = 1;
  }
}

await main();

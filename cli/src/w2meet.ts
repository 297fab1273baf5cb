import { buildProgram } from './program.js';
import { reportError } from './report-error.js';

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
    process.exitCode = reportError(err, (text) => process.stderr.write(text));
  }
}

await main();

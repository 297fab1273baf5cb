import { Command } from 'commander';
import { registerDoctor } from './commands/doctor.js';
import { registerDown } from './commands/down.js';
import { registerFaults } from './commands/fault.js';
import { registerLogs } from './commands/logs.js';
import { registerStatus } from './commands/status.js';
import { registerUp } from './commands/up.js';

export const VERSION = '0.1.0';

/** The whole command line, built without running anything, so option parsing can be tested. */
export function buildProgram(): Command {
  const program = new Command('w2meet')
    .description('Run, break and measure the W2Meet microservice lab')
    .version(VERSION)
    .showHelpAfterError('(run with --help for usage)')
    .configureHelp({ sortSubcommands: false });
  registerUp(program);
  registerDown(program);
  registerStatus(program);
  registerLogs(program);
  registerFaults(program);
  registerDoctor(program);
  return program;
}

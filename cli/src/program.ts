import { Command } from 'commander';
import { registerCompose } from './commands/compose.js';
import { registerDoctor } from './commands/doctor.js';
import { registerDown } from './commands/down.js';
import { registerFaults } from './commands/fault.js';
import { registerImages } from './commands/images.js';
import { registerLogs } from './commands/logs.js';
import { registerScenario } from './commands/scenario.js';
import { registerReport } from './commands/report.js';
import { registerGrade } from './commands/grade.js';
import { registerDashboard } from './commands/dashboard.js';
import { registerStatus } from './commands/status.js';
import { registerSwarm } from './commands/swarm.js';
import { registerUp } from './commands/up.js';

import { VERSION } from './version.js';

/** The whole command line, built without running anything, so option parsing can be tested. */
export function buildProgram(): Command {
  const program = new Command('w2meet')
    .description('Run, break and measure the W2Meet microservice lab')
    .version(VERSION)
    .showHelpAfterError('(run with --help for usage)')
    .configureHelp({ sortSubcommands: false })
    // Commander would exit 1 on its own; a bad command line is exit 2 (see w2meet.ts). Subcommands
    // made after this inherit it.
    .exitOverride();
  registerUp(program);
  registerDown(program);
  registerStatus(program);
  registerLogs(program);
  registerFaults(program);
  registerScenario(program);
  registerReport(program);
  registerGrade(program);
  registerDashboard(program);
  registerImages(program);
  registerSwarm(program);
  registerCompose(program);
  registerDoctor(program);
  return program;
}

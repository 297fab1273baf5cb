import { Option, type Command } from 'commander';
import { RUNTIME_CHOICES } from '../lab/open-lab.js';
import type { GradeOptions } from '../reports/grade.js';
import { reportsDir } from './scenario.js';
import { parsePort, withLab } from './shared-options.js';

/** `w2meet grade`: the CI job in one command, with exit codes that say what failed. */
export function registerGrade(program: Command): void {
  withLab(
    program
      .command('grade')
      .description(
        'bring a lab up (or use the one up, or --target), run the suite, write every report, take down what it started; exit 0 when every check passes and every claim of the run holds, 3 a check failed, 4 a claim failed, 6 a claim was not measured, 7 a claim is inconclusive, 5 the lab did not start',
      )
      .argument('[scenarios...]', 'a subset of the suite (default: all of it)')
      .addOption(new Option('--runtime <runtime>', 'where a lab is started').choices(RUNTIME_CHOICES).default('auto'))
      .option('--port <port>', 'gateway port of a lab started here (0: a free one)', parsePort, 0)
      .option('--replicas <list>', 'replicas of a lab started here (default: worker-service=2, the rest as `up`)')
      .option(
        '--target <url>',
        'grade another deployment of the API (a path after the host is a prefix); steps that need what it lacks are skipped',
      )
      .option('--profile <name|file>', 'what the deployment is like: w2meet (default), course, or a profile file (profiles/README.md)')
      .option(
        '--compose <file>',
        "a deployment's own compose file: brought up with the machine's compose (unless its project is up already), its faults and logs through the Engine, taken down after if it was brought up here",
      )
      .option(
        '--project <name>',
        'the compose project name (default: as compose names it, from the folder of --compose); alone: one already up',
      )
      .option(
        '--allow-host-access',
        'grade a --compose file even though it reaches this machine (privileged, host namespaces or mounts, devices, files outside its folder); read it first',
      )
      .option('--reports <dir>', 'where the run folder is written (default: W2MEET_REPORTS_DIR or reports/)')
      .addHelpText(
        'after',
        '\nExit codes: 0 every check passed and no claim failed; 3 a check or scenario failed; 4 a claim failed;\n5 the lab did not start; 2 bad input (a scenario or claims file, an option); 130 interrupted.',
      ),
  ).action(async (names: string[], options: Omit<GradeOptions, 'names' | 'reportsDir'> & { reports?: string }) => {
    const { grade } = await import('../reports/grade.js');
    const { exitCode, summary } = await grade({ ...options, names, reportsDir: reportsDir(options.reports) });
    process.stdout.write(`${summary}\n`);
    process.exitCode = exitCode;
  });
}

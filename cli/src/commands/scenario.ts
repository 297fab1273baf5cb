import { resolve } from 'node:path';
import type { Command } from 'commander';
import { ScenariosFailedError } from '../errors.js';
import { packageRoot } from '../shared/paths.js';
import { withJson, withLab } from './shared-options.js';

/** Where runs are written unless --reports says otherwise: W2MEET_REPORTS_DIR, else `reports/`. */
export function reportsDir(option: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return resolve(option ?? env.W2MEET_REPORTS_DIR ?? `${packageRoot()}/reports`);
}

/** `w2meet scenario list|run|validate`; the engine loads only when a scenario runs. */
export function registerScenario(program: Command): void {
  const scenario = program.command('scenario').description('run the scripted scenarios that measure the lab');

  withJson(scenario.command('list').description("the suite's scenarios with the knowledge goals they evidence")).action(
    async (options: { json: boolean }) => {
      const { loadSuite } = await import('../scenarios/suite.js');
      const suite = await loadSuite();
      if (options.json) {
        const rows = suite.map(({ scenario: s, file }) => ({
          name: s.name,
          kgs: s.kgs,
          requires: s.requires ?? [],
          claims: s.claims ?? [],
          file,
          description: s.description,
        }));
        process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
        return;
      }
      const width = Math.max(...suite.map((s) => s.scenario.name.length));
      for (const { scenario: s } of suite) {
        const needs = s.requires?.length ? `  needs ${s.requires.join(', ')}` : '';
        process.stdout.write(`${s.name.padEnd(width)}  ${s.kgs.join(' ').padEnd(18)} ${s.description}${needs}\n`);
      }
    },
  );

  scenario
    .command('validate')
    .description('check scenario files against the format without running them')
    .argument('<files...>', 'scenario files (.yaml)')
    .action(async (files: string[]) => {
      const { loadScenarioFile } = await import('../scenarios/load-scenario.js');
      for (const file of files) {
        const s = await loadScenarioFile(file);
        process.stdout.write(`${file}: ${s.name}, ${(s.setup?.length ?? 0) + s.steps.length} steps, ${s.checks?.length ?? 0} checks\n`);
      }
    });

  withJson(
    withLab(
      scenario
        .command('run')
        .description('run scenarios (default: the whole suite) against a lab or any deployment, and write reports/<run-id>/results.json')
        .argument('[scenarios...]', 'scenario names from `w2meet scenario list`, or paths to .yaml files')
        .option(
          '--target <url>',
          'measure this deployment of the API instead of a w2meet lab (a path after the host is a prefix); steps that need what it lacks are skipped, saying why',
        )
        .option('--profile <name|file>', 'what the deployment is like: w2meet (default), course, or a profile file (profiles/README.md)')
        .option(
          '--project <name>',
          'a compose project already up: its faults, status and logs through the Engine (its gateway unless --target)',
        )
        .option('--reports <dir>', 'where run folders are written (default: W2MEET_REPORTS_DIR or reports/)'),
    ),
  ).action(
    async (
      names: string[],
      options: { lab: string; target?: string; profile?: string; project?: string; reports?: string; json: boolean },
    ) => {
      const { runScenarios } = await import('../scenarios/run-command.js');
      const { results, path } = await runScenarios({
        names,
        lab: options.lab,
        target: options.target,
        profile: options.profile,
        project: options.project,
        reportsDir: reportsDir(options.reports),
      });
      if (options.json)
        process.stdout.write(`${JSON.stringify({ runId: results.runId, passed: results.passed, results: path }, null, 2)}\n`);
      if (!results.passed) throw new ScenariosFailedError(path);
    },
  );
}

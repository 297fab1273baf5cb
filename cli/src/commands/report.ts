import { type Command, InvalidArgumentError } from 'commander';
import { UsageError } from '../errors.js';
import { reportsDir } from './scenario.js';

export function parseFormats(text: string, all: readonly string[]): string[] {
  const formats = text
    .split(',')
    .map((f) => f.trim())
    .filter(Boolean);
  const bad = formats.filter((f) => !all.includes(f));
  if (bad.length || !formats.length)
    throw new UsageError(`--format: "${bad.join(',') || text}" is not a format`, `choose from ${all.join(', ')}`);
  return formats;
}

/** A fraction of at least 0: 0.2 means 20% slower. */
function parseTolerance(text: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0) throw new InvalidArgumentError('expected a fraction of 0 or more, e.g. 0.2 for 20%');
  return value;
}

/** `w2meet report [RUN_DIR] [--format ...] [--compare OTHER_RUN]`: built from a results file alone. */
export function registerReport(program: Command): void {
  program
    .command('report')
    .description("turn a run's results into claim verdicts, a knowledge-goals scorecard and reports (default: the latest run)")
    .argument('[run]', 'a run folder (reports/<run-id>) or its results.json')
    .option('--format <list>', 'md, html, json, junit, comma-separated', 'md,html,json,junit')
    .option(
      '--compare <run>',
      'also compare with another run: how the labs differ, every verdict change, every median of 100 samples or more, regressions beyond the drift between unchanged runs flagged',
    )
    .option(
      '--tolerance <fraction>',
      'with --compare: the drift between two unchanged runs a change must exceed to count (default 1: a factor of two, as measured on a 2-core machine)',
      parseTolerance,
    )
    .option('--reports <dir>', 'where runs are found (default: W2MEET_REPORTS_DIR or reports/)')
    .action(async (run: string | undefined, options: { format: string; compare?: string; reports?: string; tolerance?: number }) => {
      const { FORMATS, writeReports } = await import('../reports/write-reports.js');
      const { readResults, resolveRunDir } = await import('../reports/read-results.js');
      const { loadClaims } = await import('../reports/load-claims.js');
      const formats = parseFormats(options.format, FORMATS) as Array<(typeof FORMATS)[number]>;
      const dir = await resolveRunDir(run, reportsDir(options.reports));
      const results = await readResults(dir);
      const { report, written } = await writeReports(dir, results, await loadClaims(), formats);
      const { renderMarkdown } = await import('../reports/render-markdown.js');
      process.stdout.write(renderMarkdown(report));
      process.stderr.write(`\nwrote ${written.join(', ')}\n`);
      if (options.compare) {
        const { compareLatencies, compareVerdicts, labDifferences, renderComparison } = await import('../reports/compare-runs.js');
        const { buildReport } = await import('../reports/build-report.js');
        const otherDir = await resolveRunDir(options.compare, reportsDir(options.reports));
        const other = await readResults(otherDir);
        const before = buildReport(other, await loadClaims());
        process.stdout.write(
          `\n${renderComparison(other.runId, results.runId, labDifferences(other.lab, results.lab), compareLatencies(other, results, options.tolerance), compareVerdicts(before.claims, report.claims), options.tolerance)}`,
        );
      }
    });
}

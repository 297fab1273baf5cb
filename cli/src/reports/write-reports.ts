import { appendFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunResults } from '../scenarios/run-results.js';
import { buildReport, type Report } from './build-report.js';
import type { Claim } from './claim-types.js';
import { renderHtml } from './render-html.js';
import { renderJunit } from './render-junit.js';
import { renderMarkdown } from './render-markdown.js';

export const FORMATS = ['md', 'html', 'json', 'junit'] as const;
export type Format = (typeof FORMATS)[number];

const FILES: Record<Format, string> = { md: 'report.md', html: 'report.html', json: 'report.json', junit: 'junit.xml' };

/** Builds the report and writes each format into the run's folder; returns the report and paths. */
export async function writeReports(
  runDir: string,
  results: RunResults,
  claims: Claim[],
  formats: readonly Format[],
  env: NodeJS.ProcessEnv = process.env,
) {
  const report: Report = buildReport(results, claims);
  const written: string[] = [];
  const render: Record<Format, () => string> = {
    md: () => renderMarkdown(report),
    html: () => renderHtml(report, results),
    json: () => `${JSON.stringify(report, null, 2)}\n`,
    junit: () => renderJunit(report),
  };
  for (const format of formats) {
    const path = join(runDir, FILES[format]);
    await writeFile(path, render[format]());
    written.push(path);
  }
  // A CI job summary, as GitHub Actions reads it.
  if (env.GITHUB_STEP_SUMMARY) await appendFile(env.GITHUB_STEP_SUMMARY, renderMarkdown(report));
  return { report, written };
}

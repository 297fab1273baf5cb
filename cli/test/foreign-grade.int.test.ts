import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../src/reports/build-report.js';
import type { RunResults } from '../src/scenarios/run-results.js';
import { runCli } from './run-cli.js';
import { startCourseProcesses, type CourseProcesses } from './foreign-course/start-course-processes.js';

// Grades a W2Meet deployment that is not w2meet's: the course-like implementation in
// foreign-course/ (node:http, no X-Cache/Server-Timing/X-Instance, cache and times in its log
// lines, three routes missing, PUT answering 500), run as processes with a real Redis, measured
// through a profile that extends the built-in `course` one with its log files.
describe('grade a deployment that is not w2meet’s, through a target profile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'w2meet-foreign-'));
  const reports = join(dir, 'reports');
  let course: CourseProcesses | undefined;
  let grade: { code: number | null; stdout: string; stderr: string };
  let report: Report;
  let results: RunResults;

  beforeAll(async () => {
    course = await startCourseProcesses({ dir });
    const files = Object.entries(course.logFiles)
      .map(([c, f]) => `    ${c}: ${f}`)
      .join('\n');
    const profile = join(dir, 'course-processes.yaml');
    writeFileSync(profile, `name: course-processes\nextends: course\nlogs:\n  from: files\n  files:\n${files}\nfaults: none\n`);
    grade = await runCli(
      ['grade', 'smoke', 'cache-aside', 'error-paths', 'tracing', '--target', `${course.url}/`, '--profile', profile, '--reports', reports],
      { timeoutMs: 600_000 },
    );
    const runDir = /reports: (\S+)\/report\.md/.exec(grade.stdout)?.[1];
    if (!runDir) throw new Error(`grade wrote no report (exit ${grade.code}):\n${grade.stdout}\n${grade.stderr.slice(-3000)}`);
    report = JSON.parse(readFileSync(join(runDir, 'report.json'), 'utf8')) as Report;
    results = JSON.parse(readFileSync(join(runDir, 'results.json'), 'utf8')) as RunResults;
  }, 660_000);

  afterAll(async () => {
    await course?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const step = (scenario: string, name: string) => results.scenarios.find((s) => s.name === scenario)?.steps.find((s) => s.name === name);
  const claim = (id: string) => report.claims.find((c) => c.id === id)!;

  it('exits 3: its contract deviations are failed checks, not hidden', () => {
    expect(grade.code, grade.stderr.slice(-2000)).toBe(3);
  });

  it('measures the cache-hit claim from its logs, with 1,000 samples and a verdict', () => {
    const hits = step('cache-aside', 'hits')!;
    expect(hits.status).toBe('passed');
    expect(hits.metrics['cache.HIT.ratio']).toBe(1);
    expect(hits.metrics['logs.unmatched']).toBe(0);
    const c = claim('cache-hit-2.5ms');
    expect(['holds', 'fails', 'inconclusive']).toContain(c.status);
    expect(c.n).toBeGreaterThanOrEqual(200);
  });

  it('measures the error claim from its logged times, with at least 200 samples a side', () => {
    const c = claim('error-41-vs-65');
    expect(['holds', 'fails', 'inconclusive']).toContain(c.status);
    expect(c.n).toBeGreaterThanOrEqual(200);
    expect(step('error-paths', 'suggestion-404')!.metrics['status.404.server.p50']).toBeGreaterThan(0);
  });

  it('skips what needs faults or an absent route, step by step, and says why', () => {
    expect(step('cache-aside', 'redis-down')).toMatchObject({ status: 'skipped', reason: expect.stringContaining('needs faults') });
    expect(step('cache-aside', 'bypass')).toMatchObject({ status: 'skipped', reason: expect.stringContaining('step redis-down') });
    expect(claim('caching-helps').status).toBe('not-measured');
    expect(step('smoke', 'stats')).toMatchObject({
      status: 'skipped',
      reason: 'the deployment has no route GET /worker/stats (profile course-processes)',
    });
  });

  it('reports a step whose input came from a failed one as such, not as a misleading expectation', () => {
    expect(step('smoke', 'update-user')).toMatchObject({ status: 'failed', failures: [expect.stringContaining('status 500')] });
    expect(step('smoke', 'availability')).toMatchObject({
      status: 'skipped',
      reason: expect.stringContaining('its input comes from step update-user, which failed'),
    });
  });

  it('traces one Case-ID through every hop from its log lines', () => {
    expect(step('tracing', 'suggestion-trace')).toMatchObject({ status: 'passed', metrics: { hops_missing: 0 } });
    expect(step('tracing', 'task-trace')).toMatchObject({ status: 'passed', metrics: { hops_missing: 0 } });
  });

  it('lists its deviations as findings, apart from the claims', () => {
    const texts = report.findings.map((f) => `${f.where ?? ''} ${f.text}`);
    expect(texts).toContainEqual(expect.stringContaining('GET /worker/stats: not served'));
    expect(texts).toContainEqual(expect.stringContaining('no X-Cache header'));
    expect(texts).toContainEqual(expect.stringMatching(/smoke\/update-user .*status 500/));
    expect(texts).toContainEqual(expect.stringMatching(/smoke\/deleted-user .*status 200, expected 404/));
  });

  it('re-reports the run by the id it printed, from another working folder', async () => {
    const again = await runCli(['report', results.runId, '--reports', reports, '--format', 'json']);
    expect(again.code, again.stderr).toBe(0);
  });
});

import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LatencyHistogram } from '../src/scenarios/latency-histogram.js';
import type { Report } from '../src/reports/build-report.js';
import type { RunResults, ScenarioResult } from '../src/scenarios/run-results.js';
import { labRuntime, testLab } from './test-lab.js';
import { runCli } from './run-cli.js';
import { correctnessFailures, loadChecksNotHeld, loadReadings } from './scenario-outcome.js';

const lab = testLab();
const dirs: string[] = [];
afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

async function runSuite(args: string[], timeoutMs: number): Promise<{ code: number | null; stderr: string; results: RunResults }> {
  const reports = await mkdtemp(join(tmpdir(), 'w2meet-scenarios-'));
  dirs.push(reports);
  const res = await runCli(['scenario', 'run', ...args, '--reports', reports, '--json'], timeoutMs);
  const out = JSON.parse(res.stdout || '{}') as { results?: string };
  expect(out.results, res.stderr).toBeDefined();
  return { code: res.code, stderr: res.stderr, results: JSON.parse(await readFile(out.results!, 'utf8')) as RunResults };
}

/** `w2meet grade` into a fresh reports folder; the run folder is the one it made there. */
async function runGrade(args: string[], timeoutMs: number) {
  const reports = await mkdtemp(join(tmpdir(), 'w2meet-grade-'));
  dirs.push(reports);
  const res = await runCli(['grade', ...args, '--reports', reports], timeoutMs);
  const runs = await readdir(reports);
  const runDir = runs.length === 1 ? join(reports, runs[0]!) : '';
  return { ...res, runDir };
}

/** Everything that went wrong in a scenario, for the assertion message. */
const why = (s: ScenarioResult) => correctnessFailures(s).join('\n');

describe(`w2meet grade: the whole suite against a ${lab.runtime} lab already up`, () => {
  let results: RunResults;
  let report: Report;
  let runDir = '';
  const scenario = (name: string) => results.scenarios.find((s) => s.name === name)!;

  it('runs every scenario of the suite, each correct, and the exit code says what the checks and claims did', async () => {
    const run = await runGrade(['--lab', lab.name], 420_000);
    runDir = run.runDir;
    expect(runDir, run.stderr).not.toBe('');
    results = JSON.parse(await readFile(join(runDir, 'results.json'), 'utf8')) as RunResults;
    expect(results.scenarios.map((s) => s.name)).toEqual([
      'smoke',
      'cache-aside',
      'error-paths',
      'load-balancing',
      'tracing',
      'queue-burst',
    ]);
    for (const s of results.scenarios) expect(correctnessFailures(s), s.name).toEqual([]);
    // How fast this machine was under load: recorded, not asserted (see scenario-outcome.ts).
    console.log(`load checks on the ${lab.runtime} lab:\n  ${loadReadings(results).join('\n  ')}`);
    const slowHere = loadChecksNotHeld(results);
    expect(results).toMatchObject({
      schema: 'w2meet-results/1',
      passed: slowHere === 0,
      lab: { kind: 'lab', lab: lab.name, runtime: lab.runtime },
    });
    expect(results.lab.replicas).toMatchObject({ 'availability-service': 2, 'suggestion-service': 2, 'worker-service': 2 });
    report = JSON.parse(await readFile(join(runDir, 'report.json'), 'utf8')) as Report;
    expect(report.summary.checks.failed).toBe(slowHere);
    expect(report.claims).toHaveLength(11);
    // Every claim of the suite was measured: none is "not measured" after a whole suite that passed.
    expect(report.claims.filter((c) => c.status === 'not-measured').map((c) => `${c.id}: ${c.reason}`)).toEqual([]);
    // The exit code follows the verdicts themselves (not the summary the same code wrote).
    const failing = report.claims.filter((c) => c.status === 'fails').map((c) => c.id);
    const undecided = report.claims.filter((c) => c.status === 'inconclusive').map((c) => c.id);
    expect(run.code, `${run.stderr}\nfailing claims: ${failing.join(', ')}; inconclusive: ${undecided.join(', ')}`).toBe(
      slowHere ? 3 : failing.length ? 4 : undecided.length ? 7 : 0,
    );
    // The error claim is measured on every runtime, whatever its verdict: the 404 and 200
    // populations a thousand each, with its three further readings.
    const error = report.claims.find((c) => c.id === 'error-41-vs-65')!;
    expect(error.distributions.map((d) => d.n)).toEqual([1000, 1000]);
    expect(error.readings.every((r) => r.ratio !== null)).toBe(true);
    expect(run.stderr).toContain('already up; it stays up afterwards');
  }, 440_000);

  it('wrote every report format beside the results', async () => {
    const files = await readdir(runDir);
    expect(files.sort()).toEqual(['junit.xml', 'report.html', 'report.json', 'report.md', 'results.json']);
    const md = await readFile(join(runDir, 'report.md'), 'utf8');
    for (const c of report.claims) expect(md).toContain(`| ${c.id} |`);
    expect(await readFile(join(runDir, 'junit.xml'), 'utf8')).toMatch(/^<\?xml[\s\S]*<testsuite name="claims"/);
    expect(report.scorecard.find((g) => g.kg === 'KG2')!.status).toBe(lab.runtime === 'docker' ? 'met' : 'not checked');
  });

  it('keeps the raw histograms, and they agree with the summary figures', () => {
    const hits = scenario('cache-aside').steps.find((s) => s.name === 'hits')!;
    const h = LatencyHistogram.decode(hits.histograms['cache.HIT.server']!);
    expect(h.count).toBe(1000);
    expect(h.summary().p50).toBeCloseTo(hits.metrics['cache.HIT.server.p50']!, 6);
    expect(hits.metrics['cache.HIT.server.p50']).toBeLessThan(
      scenario('cache-aside').steps.find((s) => s.name === 'misses')!.metrics['server.p50']!,
    );
  });

  it('measured the queue burst against a deep queue and lost no job', () => {
    const deep = scenario('queue-burst').steps.find((s) => s.name === 'deep-queue')!;
    // How many sends kept up is this machine's speed (a load check, recorded above); every job that
    // was accepted completed, whatever the rate.
    expect(deep.metrics.accepted).toBeGreaterThan(0);
    expect(deep.metrics).toMatchObject({ completed: deep.metrics.accepted, lost: 0 });
    expect(deep.metrics['enqueue.deep.latency.p50']).toBeGreaterThan(0);
    expect(deep.series.queue_depth!.length).toBeGreaterThan(10);
  });

  it("kept the traced request's log records for each hop", () => {
    const trace = scenario('tracing').steps.find((s) => s.name === 'suggestion-trace')!;
    const hops = new Set(trace.logs!.map((l) => l.instance.replace(/-\d+$/, '')));
    expect([...hops].sort()).toEqual(['availability-service', 'gateway', 'suggestion-service', 'user-service']);
    expect(trace.metrics['hop.gateway.ms']).toBeGreaterThan(0);
  });

  it('recorded every fault and its undoing, and left the lab whole', async () => {
    const faults = results.scenarios.flatMap((s) => s.faults);
    expect(faults.every((f) => f.ok)).toBe(true);
    expect(faults.filter((f) => f.undo).length).toBeGreaterThan(0);
    const status = await labRuntime().status(lab.name);
    for (const i of status!.instances) expect(i, i.id).toMatchObject({ state: 'running', health: 'healthy' });
  });
});

describe('w2meet grade and scenario run on their own', () => {
  it('grade brings a lab of its own up and takes it down again', async () => {
    // One name per runtime: the process and Docker suites run this at the same time.
    const own = `w2meet-grade-${lab.runtime}-it`;
    const run = await runGrade(['smoke', '--lab', own, '--runtime', lab.runtime], 120_000);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain(`bringing lab ${own} up`);
    expect(run.stdout).toContain('1 scenarios passed');
    expect(await labRuntime().status(own)).toBeNull();
  }, 130_000);

  it('grade refuses an unknown scenario before anything starts, with exit code 2', async () => {
    const run = await runGrade(['no-such-scenario', '--lab', 'w2meet-never-up'], 30_000);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('no scenario named "no-such-scenario"');
    expect(run.runDir).toBe('');
  });

  it('runs what needs only HTTP and skips the rest, step by step, saying why', async () => {
    const { code, results } = await runSuite(['--target', lab.gatewayUrl, 'smoke', 'cache-aside', 'queue-burst'], 150_000);
    // A failure names what failed, step and check, as the grade above does.
    expect(code, results.scenarios.map((s) => `${s.name} ${s.status}: ${why(s)}`).join('\n')).toBe(0);
    expect(results.lab.kind).toBe('url');
    const byName = Object.fromEntries(results.scenarios.map((s) => [s.name, s]));
    expect(byName.smoke!.status).toBe('passed');
    // The cache's misses and hits need only HTTP: they run; what needs Redis stopped does not.
    const steps = Object.fromEntries(byName['cache-aside']!.steps.map((s) => [s.name, s]));
    expect(byName['cache-aside']!.status).toBe('passed');
    expect(steps.hits).toMatchObject({ status: 'passed', metrics: { 'cache.HIT.ratio': 1 } });
    expect(steps['redis-down']).toMatchObject({ status: 'skipped', reason: expect.stringContaining('needs faults') });
    expect(steps['without-cache']).toMatchObject({
      status: 'skipped',
      reason: expect.stringContaining('step redis-down, which was skipped'),
    });
    expect(byName['queue-burst']).toMatchObject({ status: 'skipped', reason: expect.stringContaining('is not a w2meet lab') });
  }, 160_000);

  it('stops before anything runs on a bad file, naming its line', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'w2meet-bad-'));
    dirs.push(dir);
    const file = join(dir, 'bad.yaml');
    await writeFile(file, 'name: bad\ndescription: d\nkgs: [KG1]\nsteps:\n  - name: a\n    request: { path: /health, methd: GET }\n');
    const res = await runCli(['scenario', 'run', '--target', lab.gatewayUrl, 'smoke', file]);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain(`${file}:6:31: /steps/0/request: unknown field "methd"`);
    expect(res.stderr).not.toContain('run ');
  });
});

import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMPOSE_PROJECT, composeDown } from '../src/lab/compose-project/compose-command.js';
import { dockerClient } from '../src/lab/docker/engine.js';
import { localImageRef, localRecipe } from '../src/lab/docker/local-base-image.js';
import { freePort } from '../src/lab/free-port.js';
import type { Report } from '../src/reports/build-report.js';
import type { RunResults } from '../src/scenarios/run-results.js';
import { runCli } from './run-cli.js';

// The course-like implementation as a compose project of its own (built from w2meet's local base
// image, which the Docker lab of this run has already built), graded with `--compose`: w2meet
// brings it up with the machine's compose, breaks its containers through the Engine (Redis and
// user-service stopped and started), reads its logs from its containers, and takes it down.
const PROJECT = 'w2meet-foreign-it';

async function projectContainers(): Promise<number> {
  return (await dockerClient().listContainers({ all: true, filters: { label: [`${COMPOSE_PROJECT}=${PROJECT}`] } })).length;
}

describe('grade a compose project that is not w2meet’s: faults and logs through the Engine', () => {
  const dir = mkdtempSync(join(tmpdir(), 'w2meet-compose-'));
  const reports = join(dir, 'reports');
  let grade: { code: number | null; stdout: string; stderr: string };
  let report: Report;
  let results: RunResults;

  beforeAll(async () => {
    // A copy, so the compose file's folder is the test's own; the file itself is never changed.
    cpSync(join(dirname(fileURLToPath(import.meta.url)), 'foreign-course'), join(dir, 'course'), { recursive: true });
    const env = { BASE_IMAGE: localImageRef(localRecipe()), GATEWAY_PORT: String(await freePort()) };
    grade = await runCli(
      [
        'grade',
        'cache-aside',
        'error-paths',
        'tracing',
        '--profile',
        'course',
        '--compose',
        join(dir, 'course', 'docker-compose.yml'),
        '--project',
        PROJECT,
      ],
      { timeoutMs: 900_000, env: { ...env, W2MEET_REPORTS_DIR: reports } },
    );
    const runDir = /reports: (\S+)\/report\.md/.exec(grade.stdout)?.[1];
    if (!runDir) throw new Error(`grade wrote no report (exit ${grade.code}):\n${grade.stdout}\n${grade.stderr.slice(-4000)}`);
    report = JSON.parse(readFileSync(join(runDir, 'report.json'), 'utf8')) as Report;
    results = JSON.parse(readFileSync(join(runDir, 'results.json'), 'utf8')) as RunResults;
  }, 960_000);

  afterAll(async () => {
    // Whatever the grade did, nothing of the project is left: a second down is harmless.
    const file = join(dir, 'course', 'docker-compose.yml');
    if ((await projectContainers()) > 0) {
      await composeDown({ file, project: PROJECT, env: { ...process.env, BASE_IMAGE: 'unused', GATEWAY_PORT: '1' } }).catch(() => {});
    }
    rmSync(dir, { recursive: true, force: true });
  });

  const step = (scenario: string, name: string) => results.scenarios.find((s) => s.name === scenario)?.steps.find((s) => s.name === name);

  it('runs the fault steps on its containers: Redis down, reads bypass the cache (seen in its logs), Redis back', () => {
    expect(step('cache-aside', 'redis-down')?.status, grade.stderr.slice(-3000)).toBe('passed');
    expect(step('cache-aside', 'bypass')).toMatchObject({ status: 'passed', metrics: { 'cache.BYPASS.ratio': 1 } });
    expect(step('cache-aside', 'recovery')?.status).toBe('passed');
    expect(report.claims.find((c) => c.id === 'caching-helps')!.status).not.toBe('not-measured');
    expect(results.lab).toMatchObject({ kind: 'url', project: PROJECT, profile: { name: 'course' } });
  });

  it('stops its user-service: the layers above answer 503, and it recovers once started again', () => {
    expect(step('error-paths', 'suggestion-503')?.status).toBe('passed');
    expect(step('error-paths', 'recovery')?.status).toBe('passed');
    // It has no Postgres of w2meet's: what needs one is skipped, saying so.
    expect(step('error-paths', 'postgres-down')).toMatchObject({ status: 'skipped', reason: 'the deployment has no postgres to act on' });
    expect(step('error-paths', 'table-away')).toMatchObject({ status: 'skipped', reason: expect.stringContaining('needs the database') });
  });

  it('traces a Case-ID through its containers’ logs', () => {
    expect(step('tracing', 'suggestion-trace')).toMatchObject({ status: 'passed', metrics: { hops_missing: 0 } });
  });

  it('takes down the project it brought up, and only that', async () => {
    expect(grade.stderr).toContain(`bringing compose project ${PROJECT} up`);
    expect(grade.stderr).toContain(`taking compose project ${PROJECT} down`);
    expect(await projectContainers()).toBe(0);
  });
});

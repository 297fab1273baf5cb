/**
 * `npm test` (quick) and `npm run test:all` (all): the suites, in an order and with the
 * concurrency that keeps each within its budget on a 2-core machine, and one closing summary.
 *
 * quick: typecheck, lint, unit, then the process-runtime integration tests in two streams at once
 * (the files that share one lab, and the files that bring up labs of their own). Needs no Docker.
 * all: the same, and the Docker side: an Engine (the one that answers, or one started for the
 * run), the lab's images built once, the Docker-runtime tests, the swarm tests on an Engine of
 * their own in a network namespace (with the images copied there), the remote-manager test. The
 * Engine the run found is checked to be as it was at the end.
 * swarm: the swarm phase of `all` alone, with vitest's arguments after it (say `-t <name>`).
 */
import { join } from 'node:path';
import { packageRoot } from '../../src/shared/paths.js';
import { type DockerReady, finishDocker, prepareDocker, runSwarmTests } from './docker-side.js';
import { isStopping, type PhaseResult, runPhase, stopRunningPhases } from './phase.js';
import { printSummary } from './print-summary.js';

const root = packageRoot();
const VITEST = join(root, 'node_modules', 'vitest', 'vitest.mjs');
const W2MEET = join(root, 'dist', 'cli', 'w2meet.js');
const SWARM_ARGS = [VITEST, 'run', '--project', 'int-swarm'];
const say = (line: string) => process.stdout.write(`${line}\n`);
const swarmSay = (line: string) => say(`int-swarm | ${line}`);

const vitest = (project: string, env?: NodeJS.ProcessEnv) =>
  runPhase(project, process.execPath, [VITEST, 'run', '--project', project], { env, prefix: true });

/**
 * Type check, lint, unit tests and the process runtime's integration tests: the checks beside the
 * unit tests, then the files of the shared lab beside the files with labs of their own. The unit
 * tests get no integration suite beside them: some time real processes and timers, and two of
 * them failed with the lab-starting files running at the same time.
 */
async function quick(): Promise<PhaseResult[]> {
  const checks = (async () => {
    const out: PhaseResult[] = [];
    for (const script of ['typecheck', 'lint']) out.push(await runPhase(script, 'npm', ['run', '-s', script], { prefix: true }));
    return out;
  })();
  const unit = await vitest('unit');
  const [shared, ownLabs] = await Promise.all([vitest('int'), vitest('int-cli')]);
  return [...(await checks), unit, shared, ownLabs];
}

/**
 * Everything: the Docker side starts at once (its Engine and images are the longest path) beside
 * the process side; the Docker tests run once the images are built, then the swarm tests, then the
 * remote-manager test, one after the other and only once the process side is done. With the swarm
 * suite beside the Docker one, three fresh CI runs in a row failed on a different health or
 * connect timeout each: two Engines' labs on 2 cores are more than their timeouts allow.
 */
async function all(): Promise<PhaseResult[]> {
  const ready = prepareDocker(W2MEET);
  const testable = (r: Awaited<typeof ready>) => !('failed' in r) && r.images.code === 0;
  const processTests = quick();
  const dockerTests = ready.then((r) =>
    'failed' in r ? r.failed : testable(r) ? vitest('int-docker').then((d) => [r.images, d]) : [r.images],
  );
  const swarmTests = Promise.all([processTests, dockerTests])
    .then(() => ready)
    .then((r) => (testable(r) ? runSwarmTests(r as DockerReady, SWARM_ARGS, swarmSay).then((t) => [t]) : []));
  const remoteTest = swarmTests.then(() => ready).then((r) => (testable(r) ? vitest('int-remote').then((t) => [t]) : []));
  const results = [...(await processTests), ...(await dockerTests), ...(await swarmTests), ...(await remoteTest)];
  const r = await ready;
  if (!('failed' in r)) results.push(await finishDocker(r, isStopping(), say));
  return results;
}

/** The swarm phase alone, as `all` runs it (its own Engine, the images built once): `swarm [vitest args]`. */
async function swarmOnly(vitestArgs: string[]): Promise<PhaseResult[]> {
  const ready = await prepareDocker(W2MEET);
  if ('failed' in ready) return ready.failed;
  const results = [ready.images];
  if (ready.images.code === 0) results.push(await runSwarmTests(ready, [...SWARM_ARGS, ...vitestArgs], swarmSay));
  results.push(await finishDocker(ready, isStopping(), say));
  return results;
}

type Mode = 'quick' | 'all' | 'swarm';

async function main(mode: Mode): Promise<number> {
  const started = performance.now();
  const results = mode === 'all' ? await all() : mode === 'swarm' ? await swarmOnly(process.argv.slice(3)) : await quick();
  return printSummary(results, (performance.now() - started) / 1000);
}

let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const)
  process.on(signal, () => {
    interrupted = true;
    stopRunningPhases(signal);
  });

const mode: Mode = process.argv[2] === 'all' || process.argv[2] === 'swarm' ? process.argv[2] : 'quick';
main(mode).then(
  (code) => process.exit(interrupted ? 130 : code),
  (err: Error) => {
    process.stderr.write(`the test run stopped: ${err.stack ?? err.message}\n`);
    process.exit(1);
  },
);

/**
 * `npm test` (quick) and `npm run test:all` (all): the suites, in an order and with the
 * concurrency that keeps each within its budget on a 2-core machine, and one closing summary.
 *
 * quick: typecheck, lint, unit, then the process-runtime integration tests in two streams at once
 * (the files that share one lab, and the files that bring up labs of their own). Needs no Docker.
 * all: the same, and meanwhile the Docker side: an Engine (the one that answers, or one started
 * for the run), the lab's images built once, then the Docker-runtime tests beside the swarm tests,
 * which run on an Engine of their own in a network namespace (with the images copied there), then
 * the remote-manager test. The Engine the run found is checked to be as it was at the end.
 */
import { join } from 'node:path';
import { dockerClient } from '../../src/lab/docker/engine.js';
import { packageRoot } from '../../src/lab/paths.js';
import { ensureDockerEngine } from '../docker-engine-for-tests.js';
import { engineDifferences, removeAddedW2meetImages, snapshotEngine } from './engine-snapshot.js';
import { notRun, type PhaseResult, runPhase, stopRunningPhases } from './phase.js';
import { printSummary } from './print-summary.js';
import { startSwarmNamespace } from './swarm-namespace.js';

const root = packageRoot();
const VITEST = join(root, 'node_modules', 'vitest', 'vitest.mjs');
const W2MEET = join(root, 'dist', 'cli', 'w2meet.js');
const say = (line: string) => process.stdout.write(`${line}\n`);

const vitest = (project: string, env?: NodeJS.ProcessEnv) =>
  runPhase(project, process.execPath, [VITEST, 'run', '--project', project], { env, prefix: true });

async function processSide(): Promise<PhaseResult[]> {
  return Promise.all([vitest('int'), vitest('int-cli')]);
}

/** The Docker and swarm suites on an Engine left as it was found; each failure becomes a phase that failed. */
async function dockerSide(): Promise<PhaseResult[]> {
  let stopEngine: () => Promise<void>;
  try {
    stopEngine = await ensureDockerEngine();
  } catch (err) {
    return [notRun('int-docker', (err as Error).message)];
  }
  const results: PhaseResult[] = [];
  const docker = dockerClient();
  try {
    const before = await snapshotEngine(docker);
    const images = await runPhase('images', process.execPath, [W2MEET, 'images', 'build'], { prefix: true });
    results.push(images);
    if (images.code !== 0) return [...results, notRun('int-docker', 'the images were not built')];
    const swarmSide = async (): Promise<PhaseResult[]> => {
      const started = performance.now();
      let ns: Awaited<ReturnType<typeof startSwarmNamespace>>;
      try {
        ns = await startSwarmNamespace(docker, (line) => say(`int-swarm | ${line}`));
      } catch (err) {
        return [notRun('int-swarm', `its Engine did not start: ${(err as Error).message}`)];
      }
      try {
        const swarm = await runPhase(
          'int-swarm',
          'ip',
          ['netns', 'exec', ns.netns, process.execPath, VITEST, 'run', '--project', 'int-swarm'],
          {
            env: ns.env,
            prefix: true,
          },
        );
        swarm.seconds = (performance.now() - started) / 1000;
        return [swarm];
      } finally {
        await ns.stop();
      }
    };
    const [docked, swarmed] = await Promise.all([vitest('int-docker'), swarmSide()]);
    results.push(docked, ...swarmed, await vitest('int-remote'));
    const removed = await removeAddedW2meetImages(docker, before);
    if (removed.length) say(`removed what the run built on the Engine: ${removed.join(', ')}`);
    const differences = engineDifferences(before, await snapshotEngine(docker));
    results.push({
      name: 'engine-as-found',
      code: differences.length ? 1 : 0,
      seconds: 0,
      summary: differences.length ? ['engine-as-found: the Engine differs from before the run:', ...differences.map((d) => `  ${d}`)] : [],
    });
  } catch (err) {
    results.push(notRun('engine-as-found', (err as Error).message));
  } finally {
    await stopEngine();
  }
  return results;
}

async function main(mode: 'quick' | 'all'): Promise<number> {
  const started = performance.now();
  const results: PhaseResult[] = [];
  for (const script of ['typecheck', 'lint']) results.push(await runPhase(script, 'npm', ['run', '-s', script]));
  results.push(await vitest('unit'));
  const sides = [processSide(), ...(mode === 'all' ? [dockerSide()] : [])];
  for (const side of await Promise.all(sides)) results.push(...side);
  return printSummary(results, (performance.now() - started) / 1000);
}

let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.on(signal, () => {
    interrupted = true;
    stopRunningPhases(signal);
  });

const mode = process.argv[2] === 'all' ? 'all' : 'quick';
main(mode).then(
  (code) => process.exit(interrupted ? 130 : code),
  (err: Error) => {
    process.stderr.write(`the test run stopped: ${err.stack ?? err.message}\n`);
    process.exit(1);
  },
);

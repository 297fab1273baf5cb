import type Docker from 'dockerode';
import { dockerClient } from '../../src/lab/docker/engine.js';
import { ensureDockerEngine } from '../docker-engine-for-tests.js';
import { type EngineSnapshot, engineDifferences, snapshotEngine } from './engine-snapshot.js';
import { isStopping, notRun, type PhaseResult, runPhase } from './phase.js';
import { restoreW2meetImages } from './restore-images.js';
import { startSwarmNamespace } from './swarm-namespace.js';
import { removeTestLeftovers } from './test-leftovers.js';

/** The Engine the Docker suites run on, as the run found it, and the lab's images built once. */
export interface DockerReady {
  docker: Docker;
  before: EngineSnapshot;
  stopEngine: () => Promise<void>;
  /** The image build's phase: the Docker suites run only when it passed. */
  images: PhaseResult;
}

/**
 * The Engine that answers (or one started for the run), what it holds before anything runs, and
 * the lab's images built once. Never rejects: what failed before the snapshot comes back as failed
 * phases; from the snapshot on, `finishDocker` always runs, whatever the image build did.
 */
export async function prepareDocker(w2meet: string): Promise<DockerReady | { failed: PhaseResult[] }> {
  let stopEngine: () => Promise<void>;
  try {
    stopEngine = await ensureDockerEngine();
  } catch (err) {
    return { failed: [notRun('int-docker', (err as Error).message)] };
  }
  const docker = dockerClient();
  let before: EngineSnapshot;
  try {
    const leftovers = await removeTestLeftovers(docker);
    if (leftovers.length) process.stdout.write(`removed what an earlier test run left on the Engine: ${leftovers.join(', ')}\n`);
    before = await snapshotEngine(docker);
  } catch (err) {
    await stopEngine().catch(() => {});
    return { failed: [notRun('int-docker', `the Engine did not answer as expected: ${(err as Error).message}`)] };
  }
  const images = await runPhase('images', process.execPath, [w2meet, 'images', 'build'], { prefix: true });
  return { docker, before, stopEngine, images };
}

/** The one-node swarm tests, inside a network namespace with an Engine of their own, removed after. */
export async function runSwarmTests(ready: DockerReady, vitestArgs: string[], say: (line: string) => void): Promise<PhaseResult> {
  const started = performance.now();
  if (isStopping()) return notRun('int-swarm', 'the run was interrupted');
  let ns: Awaited<ReturnType<typeof startSwarmNamespace>>;
  try {
    ns = await startSwarmNamespace(ready.docker, say);
  } catch (err) {
    return notRun('int-swarm', `its Engine did not start: ${(err as Error).message}`);
  }
  try {
    const swarm = await runPhase('int-swarm', 'ip', ['netns', 'exec', ns.netns, process.execPath, ...vitestArgs], {
      env: ns.env,
      prefix: true,
    });
    return { ...swarm, seconds: (performance.now() - started) / 1000 };
  } finally {
    await ns.stop();
  }
}

/**
 * The Engine as the run found it: w2meet's images put back as they were, then compared with the
 * snapshot taken before; any other difference fails. What the tests left (their labelled labs) is
 * removed either way, after the comparison so that it still counts, unless the run was interrupted.
 * The Engine is stopped if the run started it.
 */
export async function finishDocker(ready: DockerReady, interrupted: boolean, say: (line: string) => void): Promise<PhaseResult> {
  try {
    for (const line of await restoreW2meetImages(ready.docker, ready.before)) say(`engine-as-found | ${line}`);
    if (interrupted) for (const line of await removeTestLeftovers(ready.docker)) say(`engine-as-found | removed ${line}`);
    const differences = engineDifferences(ready.before, await snapshotEngine(ready.docker));
    if (!interrupted)
      for (const line of await removeTestLeftovers(ready.docker)) say(`engine-as-found | removed ${line}, which a test left`);
    const summary = differences.length
      ? [
          'engine-as-found: the Engine differs from before the run (anything else using it meanwhile shows here too):',
          ...differences.map((d) => `  ${d}`),
        ]
      : [];
    return { name: 'engine-as-found', code: differences.length ? 1 : 0, seconds: 0, summary };
  } catch (err) {
    return notRun('engine-as-found', (err as Error).message);
  } finally {
    await ready.stopEngine().catch((err: Error) => say(`engine-as-found | the Engine started for the run was not stopped: ${err.message}`));
  }
}

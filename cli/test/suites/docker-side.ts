import type Docker from 'dockerode';
import { dockerClient } from '../../src/lab/docker/engine.js';
import { ensureDockerEngine } from '../docker-engine-for-tests.js';
import { type EngineSnapshot, engineDifferences, removeAddedW2meetImages, snapshotEngine } from './engine-snapshot.js';
import { notRun, type PhaseResult, runPhase } from './phase.js';
import { startSwarmNamespace } from './swarm-namespace.js';
import { removeTestLeftovers } from './test-leftovers.js';

/** The Engine the Docker suites run on, as the run found it, with the lab's images built. */
export interface DockerReady {
  docker: Docker;
  before: EngineSnapshot;
  stopEngine: () => Promise<void>;
  /** The image build's phase, for the summary. */
  images: PhaseResult;
}

/**
 * The Engine that answers (or one started for the run), what it holds before anything runs, and
 * the lab's images built once. Resolves with why not when any of it fails.
 */
export async function prepareDocker(w2meet: string): Promise<DockerReady | { failed: PhaseResult[] }> {
  let stopEngine: () => Promise<void>;
  try {
    stopEngine = await ensureDockerEngine();
  } catch (err) {
    return { failed: [notRun('int-docker', (err as Error).message)] };
  }
  const docker = dockerClient();
  try {
    const leftovers = await removeTestLeftovers(docker);
    if (leftovers.length) process.stdout.write(`removed what an earlier test run left on the Engine: ${leftovers.join(', ')}\n`);
    const before = await snapshotEngine(docker);
    const images = await runPhase('images', process.execPath, [w2meet, 'images', 'build'], { prefix: true });
    if (images.code === 0) return { docker, before, stopEngine, images };
    await stopEngine();
    return { failed: [images, notRun('int-docker', 'the images were not built')] };
  } catch (err) {
    await stopEngine();
    return { failed: [notRun('int-docker', (err as Error).message)] };
  }
}

/** The one-node swarm tests, inside a network namespace with an Engine of their own, removed after. */
export async function runSwarmTests(ready: DockerReady, vitestArgs: string[], say: (line: string) => void): Promise<PhaseResult> {
  const started = performance.now();
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
 * The Engine as the run found it: the images w2meet built during the run removed, then compared
 * with the snapshot taken before (any other difference fails), and stopped if the run started it.
 */
export async function finishDocker(ready: DockerReady, say: (line: string) => void): Promise<PhaseResult> {
  try {
    const removed = await removeAddedW2meetImages(ready.docker, ready.before);
    if (removed.length) say(`removed what the run built on the Engine: ${removed.join(', ')}`);
    const differences = engineDifferences(ready.before, await snapshotEngine(ready.docker));
    const summary = differences.length
      ? ['engine-as-found: the Engine differs from before the run:', ...differences.map((d) => `  ${d}`)]
      : [];
    return { name: 'engine-as-found', code: differences.length ? 1 : 0, seconds: 0, summary };
  } catch (err) {
    return notRun('engine-as-found', (err as Error).message);
  } finally {
    await ready.stopEngine();
  }
}

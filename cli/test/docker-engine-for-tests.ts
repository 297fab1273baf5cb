import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBackgroundEngine, stopRecordedEngine } from '../src/lab/docker/background-engine.js';
import { dockerClient, pingDocker } from '../src/lab/docker/engine.js';
import { programIn, searchPath } from '../src/lab/docker/engine-prerequisites.js';

/**
 * The Docker tests need a Docker Engine. One that answers (the quick start's, started by `doctor
 * --fix`) is used as is. Otherwise, as root with docker.io installed, the run starts one the way
 * `doctor --fix` does, recorded in a folder of its own, and stops exactly that one when the run
 * ends. Returns what stops the one started here.
 */
export async function ensureDockerEngine(): Promise<() => Promise<void>> {
  const docker = dockerClient();
  if (await pingDocker(docker)) return async () => {};
  const dockerd = programIn(searchPath(), 'dockerd');
  if (!dockerd || process.getuid?.() !== 0) {
    throw new Error(
      'the Docker tests need a Docker Engine and none answers: `npm run w2meet -- doctor --fix` as root ' +
        'installs docker.io and starts one (a docker client alone is not an Engine)',
    );
  }
  const env = { ...process.env, W2MEET_ENGINE_DIR: mkdtempSync(join(tmpdir(), 'w2meet-test-engine-')) };
  const { record } = await startBackgroundEngine(docker, dockerd, env);
  return async () => {
    const outcome = await stopRecordedEngine(env);
    if (!outcome.stopped) throw new Error(`the Docker Engine started for the tests (pid ${record.pid}) was not stopped: ${outcome.why}`);
    rmSync(env.W2MEET_ENGINE_DIR, { recursive: true, force: true });
  };
}

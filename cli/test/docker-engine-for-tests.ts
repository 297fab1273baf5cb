import { spawn, spawnSync } from 'node:child_process';
import { openSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dockerClient, pingDocker } from '../src/lab/docker/engine.js';

/**
 * The Docker tests need a Docker Engine. `npm test` right after the quick start finds docker.io
 * installed (`doctor --fix` does that) but no daemon running, so, as root, it starts one for the
 * run and stops it again (by its pid) when the run ends. An Engine already running is used as is.
 * Returns what stops the one started here.
 */
export async function ensureDockerEngine(): Promise<() => Promise<void>> {
  const docker = dockerClient();
  if (await pingDocker(docker)) return async () => {};
  const installed = spawnSync('dockerd', ['--version']).status === 0;
  if (!installed || process.getuid?.() !== 0) {
    throw new Error('the Docker tests need a Docker Engine and none answers: start one (`dockerd &` as root), '
      + 'or install docker.io (`npm run w2meet -- doctor --fix`) and run the tests as root, which starts one for the run');
  }
  const log = join(tmpdir(), `w2meet-test-dockerd-${process.pid}.log`);
  const daemon = spawn('dockerd', [], { stdio: ['ignore', openSync(log, 'w'), openSync(log, 'a')] });
  const exited = new Promise<void>((resolve) => daemon.once('exit', () => resolve()));
  const stop = async () => {
    daemon.kill('SIGTERM');
    await exited;
  };
  const deadline = Date.now() + 30_000;
  while (!(await pingDocker(docker))) {
    if (Date.now() > deadline || daemon.exitCode !== null) {
      await stop();
      throw new Error(`the dockerd started for the Docker tests did not answer within 30 s; see its log, ${log}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return stop;
}

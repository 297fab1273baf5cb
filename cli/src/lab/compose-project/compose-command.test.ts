import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FakeEngine } from '../../testing/fake-engine.js';
import { COMPOSE_ONEOFF, COMPOSE_PROJECT, composeProjectExists, composeUp, findCompose, projectNameFor } from './compose-command.js';

/** A command runner that answers for the commands given and fails every other, recording each call. */
function runner(answering: string[], output = '') {
  const calls: { line: string; cwd?: unknown }[] = [];
  const run = async (command: string, args: string[], options: { cwd?: unknown }) => {
    const line = [command, ...args].join(' ');
    calls.push({ line, cwd: options.cwd });
    if (answering.some((a) => line.startsWith(a))) return output;
    throw new Error(`exit 1: ${output || 'not found'}`);
  };
  return { calls, run };
}

describe('the project name compose would take', () => {
  it("is the file's folder name, lower-cased, without characters compose does not allow", () => {
    expect(projectNameFor('/home/ana/W2Meet Lab.v2/docker-compose.yml')).toBe('w2meetlabv2');
    expect(projectNameFor('/home/ana/_-my_lab-1/compose.yaml')).toBe('my_lab-1');
    // A relative file is in the folder w2meet runs in, as it is for compose.
    expect(projectNameFor('docker-compose.yml')).toBe(projectNameFor(join(process.cwd(), 'docker-compose.yml')));
  });

  it('asks for --project when the folder name leaves nothing', () => {
    expect(() => projectNameFor('/tmp/ÉÉ/docker-compose.yml')).toThrow(
      expect.objectContaining({ code: 'USAGE', hint: 'pass --project NAME' }),
    );
  });
});

describe('the compose implementation', () => {
  it('is the v2 plugin where it answers, else docker-compose, else a clear prerequisite error', async () => {
    expect(await findCompose({ run: runner(['docker compose version']).run })).toEqual(['docker', 'compose']);
    expect(await findCompose({ run: runner(['docker-compose version']).run })).toEqual(['docker-compose']);
    await expect(findCompose({ run: runner([]).run })).rejects.toMatchObject({
      code: 'PREREQUISITE',
      hint: expect.stringContaining('apt-get install docker-compose'),
    });
  });

  it("brings a project up in its file's folder, and reports compose's own words when it fails", async () => {
    const file = '/home/ana/lab/docker-compose.yml';
    const ok = runner(['docker-compose']);
    await composeUp({ file, project: 'lab', run: ok.run });
    expect(ok.calls.at(-1)).toEqual({ line: `docker-compose -f ${file} -p lab up -d --build`, cwd: dirname(file) });

    const failing = runner(['docker compose version'], 'failed to solve: user-service/Dockerfile not found');
    await expect(composeUp({ file, project: 'lab', run: failing.run })).rejects.toMatchObject({
      code: 'COMPOSE',
      message: expect.stringContaining('Dockerfile not found'),
    });
  });

  it("refuses another machine's Engine over plain TCP before compose runs", async () => {
    const ok = runner(['docker-compose']);
    const env = { DOCKER_HOST: 'tcp://grading-box:2375' };
    await expect(composeUp({ file: '/home/ana/lab/docker-compose.yml', project: 'lab', run: ok.run, env })).rejects.toThrow(
      /TCP without TLS/,
    );
    expect(ok.calls).toEqual([]);
  });

  it('finds a project by its label, not counting one-off containers', async () => {
    const engine = new FakeEngine();
    await engine.create({ Labels: { [COMPOSE_PROJECT]: 'lab', [COMPOSE_ONEOFF]: 'True' } });
    expect(await composeProjectExists(engine, 'lab')).toBe(false);
    await engine.create({ Labels: { [COMPOSE_PROJECT]: 'lab', [COMPOSE_ONEOFF]: 'False' } });
    expect(await composeProjectExists(engine, 'lab')).toBe(true);
    expect(await composeProjectExists(engine, 'other')).toBe(false);
  });
});

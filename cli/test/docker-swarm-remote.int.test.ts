import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { dockerClient } from '../src/lab/docker/engine.js';
import { LABEL_LAB } from '../src/lab/docker/labels.js';
import { freePort } from '../src/lab/free-port.js';
import type { LabStatus } from '../src/lab/runtime.js';
import { probeHealthy } from '../src/lab/wait/probe-for.js';
import { copyLabImages } from './copy-lab-images.js';
import { type NetnsEngine, startNetnsEngine } from './netns-engine.js';
import { openTunnel, type Tunnel } from './netns-tunnel.js';
import { runCli } from './run-cli.js';

// A swarm whose manager is another machine, as a class's cluster is to the laptop w2meet runs on:
// an Engine in a network namespace of its own (netns-engine.ts), reached only over TCP with TLS
// (DOCKER_HOST=tcp://10.213.8.2:2376). This machine reaches neither its 127.0.0.1 nor its tasks.
const LAB = 'w2meet-it-remote';
const labFilter = { label: [`${LABEL_LAB}=${LAB}`] };
let manager: NetnsEngine | undefined;
let tunnel: Tunnel | undefined;
let state = '';
let env: NodeJS.ProcessEnv = {};
let port = 0;
/** The infrastructure's ports on the manager's 127.0.0.1 (--expose-infra), as status names them. */
let infraPorts: number[] = [];
let failed = false;

/** The part of a run's results.json this file reads. */
interface ResultsFile {
  scenarios: Array<{ steps: Array<{ name: string; status: string; metrics: Record<string, number> }> }>;
}

/** Whether anything on this machine accepts a connection on 127.0.0.1:port. */
const answersHere = (at: number) => probeHealthy({ kind: 'tcp', host: '127.0.0.1', port: at }, 2000, 1);

beforeAll(async () => {
  manager = await startNetnsEngine({ name: 'w2meet-remote', subnet: '10.213.8', tls: true });
  // The images this machine built, copied there as to a machine of the class's (building them
  // again would take minutes of debootstrap, and the namespace reaches no Debian mirror).
  await copyLabImages(dockerClient(), manager.socket);
  state = mkdtempSync(join(tmpdir(), 'w2meet-remote-state-'));
  env = { ...manager.clientEnv, W2MEET_STATE_DIR: state };
  const init = await runCli(['swarm', 'init'], { env });
  // A failure here is no test's: afterAll is told as for one.
  failed = init.code !== 0;
  expect(init.code, init.stderr).toBe(0);
}, 300_000);

beforeEach(({ onTestFailed }) => {
  onTestFailed(() => {
    failed = true;
  });
});

afterAll(async () => {
  // What the manager's Engine did is gone with its folder below: after a failure, print it first.
  if (failed && manager) console.error(await manager.diagnose(120));
  // Whatever happened: the tunnel, the lab, then the Engine with all it held, its namespace and
  // folders; a step that fails does not keep the next from running.
  await tunnel?.close().catch(() => {});
  if (manager) await runCli(['down', '--lab', LAB, '-v'], { env, timeoutMs: 120_000 }).catch(() => {});
  await manager?.stop().catch(() => {});
  if (state) rmSync(state, { recursive: true, force: true });
}, 180_000);

describe('up --runtime swarm with DOCKER_HOST on a manager of another machine', () => {
  it('finds the images copied there, starts the lab on the Engine’s verdicts and readiness checks run in its tasks (Postgres applies its schema itself), and says how to reach the gateway and the infrastructure', async () => {
    port = await freePort();
    const up = await runCli(['up', '--runtime', 'swarm', '--lab', LAB, '--port', String(port), '--expose-infra'], {
      env,
      timeoutMs: 900_000,
    });
    expect(up.code, up.stderr + up.stdout).toBe(0);
    const status = await runCli(['status', '--lab', LAB, '--json'], { env });
    expect(status.code, status.stderr).toBe(0);
    const lab = JSON.parse(status.stdout) as LabStatus;
    expect(lab.instances.length).toBeGreaterThanOrEqual(8);
    for (const i of lab.instances) expect(`${i.id} ${i.state} ${i.health}`).toBe(`${i.id} running healthy`);
    // Postgres, Redis and RabbitMQ on the manager's 127.0.0.1, carried by the same tunnel as the gateway.
    const infra = lab.instances.filter((i) => i.kind === 'infra');
    for (const i of infra) expect(i.address, i.id).toMatch(/^127\.0\.0\.1:\d+$/);
    infraPorts = infra.map((i) => Number(i.address.split(':')[1]));
    const forwards = [port, ...infraPorts].map((p) => `-L ${p}:127.0.0.1:${p}`);
    for (const forward of forwards) expect(up.stdout).toContain(forward);
    expect(up.stdout).toContain(`ssh -N -o ExitOnForwardFailure=yes -L ${port}:127.0.0.1:${port} `);
    expect(up.stdout).toContain(` ${manager!.nodeIp}\``);
    // Its gateway is published on the manager's 127.0.0.1, not this machine's.
    expect(await answersHere(port)).toBe(false);
    // The schema came in a config of the lab's, which Postgres mounts.
    expect((await manager!.docker.listConfigs({ filters: labFilter })).length).toBe(1);
  }, 960_000);

  it('refuses a scenario while the gateway does not answer here, naming the tunnel to open', async () => {
    const smoke = await runCli(['scenario', 'run', 'smoke', '--lab', LAB], { env });
    expect(smoke.code).not.toBe(0);
    // Every address the tunnel would carry is named, the infrastructure's too.
    expect(smoke.stderr).toContain(`gateway 127.0.0.1:${port}`);
    for (const p of infraPorts) expect(smoke.stderr).toContain(`127.0.0.1:${p}`);
    expect(smoke.stderr).toContain('do not answer here');
    expect(smoke.stderr).toContain(`ssh -N -o ExitOnForwardFailure=yes -L ${port}:127.0.0.1:${port}`);
  });

  it('passes the smoke scenario through the tunnel: users are stored, so the database and schema are there', async () => {
    tunnel = await openTunnel(manager!.netns, [port, ...infraPorts]);
    const reports = mkdtempSync(join(tmpdir(), 'w2meet-remote-reports-'));
    try {
      const smoke = await runCli(['scenario', 'run', 'smoke', '--lab', LAB, '--reports', reports, '--json'], { env, timeoutMs: 180_000 });
      expect(smoke.code, smoke.stderr + smoke.stdout).toBe(0);
    } finally {
      rmSync(reports, { recursive: true, force: true });
    }
  }, 200_000);

  it('runs the steps that need the broker and the database through the same tunnel, none skipped and no job lost', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'w2meet-remote-reports-'));
    try {
      // A statement on the lab's Postgres (and its undo), then a burst whose completions are counted on its RabbitMQ.
      const scenario = join(dir, 'through-the-tunnel.yaml');
      writeFileSync(
        scenario,
        [
          'name: through-the-tunnel',
          'description: the broker and the database of a lab on another machine, reached through the tunnel',
          'kgs: [KG11]',
          'requires: [queue, database]',
          'setup:',
          '  - name: users',
          '    create_users: { as: users, count: 4 }',
          'steps:',
          '  - name: table-away',
          '    sql: { run: ALTER TABLE useravail RENAME TO useravail_away, undo: ALTER TABLE useravail_away RENAME TO useravail }',
          '  - name: table-back',
          '    sql: { undo_of: table-away }',
          '  - name: jobs',
          '    burst: { jobs: 60, rate: 30, users: users }',
          '',
        ].join('\n'),
      );
      const run = await runCli(['scenario', 'run', scenario, '--lab', LAB, '--reports', dir, '--json'], { env, timeoutMs: 120_000 });
      expect(run.code, run.stderr + run.stdout).toBe(0);
      const { results } = JSON.parse(run.stdout) as { results: string };
      const steps = (JSON.parse(readFileSync(results, 'utf8')) as ResultsFile).scenarios[0]!.steps;
      expect(steps.map((st) => `${st.name} ${st.status}`)).toEqual([
        'users passed',
        'table-away passed',
        'table-back passed',
        'jobs passed',
      ]);
      const jobs = steps.find((st) => st.name === 'jobs')!.metrics;
      expect({ accepted: jobs.accepted, completed: jobs.completed, lost: jobs.lost }).toEqual({ accepted: 60, completed: 60, lost: 0 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 150_000);

  it('down -v leaves no service, secret, config, network, volume or container of the lab on the manager', async () => {
    const down = await runCli(['down', '--lab', LAB, '-v'], { env, timeoutMs: 120_000 });
    expect(down.code, down.stderr).toBe(0);
    const docker = manager!.docker;
    const left = {
      services: (await docker.listServices({ filters: labFilter })).length,
      secrets: (await docker.listSecrets({ filters: labFilter })).length,
      configs: (await docker.listConfigs({ filters: labFilter })).length,
      networks: (await docker.listNetworks({ filters: labFilter })).length,
      volumes: ((await docker.listVolumes({ filters: labFilter })).Volumes ?? []).length,
      containers: (await docker.listContainers({ all: true, filters: labFilter })).length,
    };
    expect(left).toEqual({ services: 0, secrets: 0, configs: 0, networks: 0, volumes: 0, containers: 0 });
  }, 150_000);
});

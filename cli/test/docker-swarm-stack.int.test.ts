import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dockerClient } from '../src/lab/docker/engine.js';
import { LABEL_LAB } from '../src/lab/docker/labels.js';
import { freePort } from '../src/lab/free-port.js';
import { packageRoot } from '../src/shared/paths.js';
import { planEdge } from '../src/lab/swarm/edge.js';
import { stackSecretValues } from '../src/lab/swarm/stack-file.js';
import { SwarmEngine } from '../src/lab/swarm/swarm-engine.js';
import { SwarmRuntime } from '../src/lab/swarm/swarm-runtime.js';
import type { LabStatus } from '../src/lab/runtime.js';
import { startLocalRegistry } from './local-registry.js';
import { runCli } from './run-cli.js';
import { joinTestSwarm } from './test-swarm.js';
import { eventually } from './test-lab.js';

// On the one-node swarm of the test Engine, with a registry on 127.0.0.1 as a cluster's nodes
// would share: compose/docker-stack.yml deployed by `docker stack deploy` (a swarm lab w2meet did
// not make), and `up --runtime swarm --registry` naming only images every node can pull.
const STACK = 'w2meet-it-stack';
const REGISTRY_LAB = 'w2meet-it-swarm-reg';
const docker = dockerClient();
const swarm = new SwarmEngine(docker);
const stackFilter = { label: [`com.docker.stack.namespace=${STACK}`] };
let leaveSwarm = async () => {};
let registry: { address: string; stop: () => void } | undefined;
const secretIds: string[] = [];
let edgeId = '';
let reports = '';
let mirrorTagsBefore = new Set<string>();
let labelledNode = '';

/** The image each service of a filter runs, by service name. */
async function serviceImages(filters: { label: string[] }): Promise<Record<string, string>> {
  const services = (await docker.listServices({ filters })) as Array<{
    Spec: { Name: string; TaskTemplate: { ContainerSpec: { Image: string } } };
  }>;
  return Object.fromEntries(services.map((s) => [s.Spec.Name, s.Spec.TaskTemplate.ContainerSpec.Image]));
}

beforeAll(async () => {
  reports = mkdtempSync(join(tmpdir(), 'w2meet-stack-'));
  leaveSwarm = await joinTestSwarm(swarm);
  mirrorTagsBefore = new Set((await docker.listImages()).flatMap((i) => i.RepoTags ?? []).filter((t) => t.startsWith('w2meet/mirror/')));
  registry = await startLocalRegistry();
  // As a class would: the images built once, then pushed where every node pulls from.
  const build = await runCli(['images', 'build'], 600_000);
  expect(build.code, build.stderr).toBe(0);
  const push = await runCli(['images', 'push', '--registry', registry.address], 600_000);
  expect(push.code, push.stderr).toBe(0);
  expect(push.stdout).toContain(`${registry.address}/w2meet/user-service:latest`);
}, 900_000);

afterAll(async () => {
  // Whatever happened: the stack, its edge, secrets and volumes, the swarm lab, the registry, the swarm if made here.
  if (edgeId)
    await docker
      .getContainer(edgeId)
      .remove({ force: true })
      .catch(() => {});
  await execa('docker', ['stack', 'rm', STACK], { reject: false });
  await eventually(
    async () =>
      (await docker.listContainers({ all: true, filters: stackFilter })).length +
      (await docker.listNetworks({ filters: stackFilter })).length,
    (left) => left === 0,
    60_000,
    1000,
  );
  for (const v of (await docker.listVolumes({ filters: stackFilter })).Volumes ?? [])
    await docker
      .getVolume(v.Name)
      .remove()
      .catch(() => {});
  for (const id of secretIds)
    await docker
      .getSecret(id)
      .remove()
      .catch(() => {});
  await new SwarmRuntime().down(REGISTRY_LAB, { volumes: true }).catch(() => {});
  if (labelledNode) await execa('docker', ['node', 'update', '--label-rm', 'w2meet-data', labelledNode], { reject: false });
  await leaveSwarm();
  if (registry) {
    // Last, once no task holds them: the names of the registry, which goes now (tags, and the
    // digests tasks pulled by), and the mirror's names the swarm lab added.
    const names = (await docker.listImages()).flatMap((i) => [...(i.RepoTags ?? []), ...(i.RepoDigests ?? [])]);
    const added = names.filter(
      (n) => n.startsWith(`${registry!.address}/`) || (n.startsWith('w2meet/mirror/') && !mirrorTagsBefore.has(n)),
    );
    for (const n of added)
      await docker
        .getImage(n)
        .remove({ noprune: true })
        .catch(() => {});
    registry.stop();
  }
  if (reports) rmSync(reports, { recursive: true, force: true });
}, 180_000);

describe('compose/docker-stack.yml with docker stack deploy', () => {
  it('deploys from the registry, makes its own database, and passes the smoke scenario through its gateway', async () => {
    const passwords = { postgresPassword: hex(), rabbitPassword: hex(), redisPassword: hex() };
    for (const [name, value] of Object.entries(stackSecretValues(passwords))) {
      const secret = await docker.createSecret({ Name: name, Data: Buffer.from(value).toString('base64') } as never);
      secretIds.push((secret as unknown as { id: string }).id);
    }
    // The node that keeps the data, as the file's header says.
    const node = (await swarm.localState()).nodeId;
    const label = await execa('docker', ['node', 'update', '--label-add', 'w2meet-data=true', node], { reject: false });
    expect(label.exitCode, label.stderr).toBe(0);
    labelledNode = node;
    // Detached (the default of every docker CLI that has the flag; older ones have only that): the test waits itself.
    const deploy = await execa('docker', ['stack', 'deploy', '-c', join(packageRoot(), 'compose', 'docker-stack.yml'), STACK], {
      env: { W2MEET_IMAGE_REPO: `${registry!.address}/w2meet` },
      reject: false,
    });
    expect(deploy.exitCode, deploy.stderr).toBe(0);
    const images = await serviceImages(stackFilter);
    expect(Object.keys(images).length).toBe(10);
    expect(Object.values(images).filter((i) => !i.startsWith(`${registry!.address}/w2meet/`))).toEqual([]);

    // Nothing is published: the test reaches the gateway as w2meet's swarm labs are, through an
    // edge container on the stack's attachable network, published on 127.0.0.1.
    const port = await freePort();
    const edge = await docker.createContainer(
      planEdge(STACK, `${STACK}_lab`, 'localhost/w2meet/user-service:latest', [{ hostPort: port, target: 'gateway:8080' }]),
    );
    edgeId = edge.id;
    await edge.start();
    // Every task healthy (the Engine's own checks), then the gateway answering.
    const healthy = await eventually(
      async () => (await docker.listContainers({ filters: stackFilter })).filter((c) => c.Status.includes('(healthy)')).length,
      (n) => n === 10,
      240_000,
      1000,
    );
    expect(healthy).toBe(10);
    // The Engine's checks ask a service only that it answers (a dependency's outage must not get it
    // replaced), and a stack starts everything at once: a worker is up before it has reached
    // RabbitMQ (its /health answers 503 until then). So, as a stack's user would, wait until the
    // gateway and every service behind it say they are ready.
    const ready = async () => {
      const paths = ['/health', '/users/health', '/availability/health', '/suggestion/health', '/worker/health'];
      const statuses = await Promise.all(paths.map(async (p) => (await fetch(`http://127.0.0.1:${port}${p}`).catch(() => null))?.status));
      return paths.filter((_, n) => statuses[n] !== 200);
    };
    const notReady = await eventually(ready, (left) => left.length === 0, 60_000, 500);
    expect(notReady).toEqual([]);
    const smoke = await runCli(
      ['scenario', 'run', 'smoke', '--target', `http://127.0.0.1:${port}`, '--reports', reports, '--json'],
      240_000,
    );
    expect(smoke.code, smoke.stderr + smoke.stdout).toBe(0);
  }, 600_000);
});

describe('up --runtime swarm --registry: a lab every node of a cluster can run', () => {
  it('names only the registry images in its services, and comes up healthy from them', async () => {
    const up = await runCli(
      ['up', '--runtime', 'swarm', '--lab', REGISTRY_LAB, '--port', '0', '--registry', registry!.address, '--json'],
      600_000,
    );
    expect(up.code, up.stderr).toBe(0);
    const status = JSON.parse(up.stdout) as LabStatus;
    expect(status.instances.filter((i) => i.state !== 'running' || i.health !== 'healthy').map((i) => i.id)).toEqual([]);
    const images = await serviceImages({ label: [`${LABEL_LAB}=${REGISTRY_LAB}`] });
    expect(Object.keys(images).length).toBe(status.instances.length);
    // Each by its digest too: every node runs exactly what was pushed, whatever the tag names by then.
    expect(Object.entries(images).filter(([, i]) => !i.startsWith(`${registry!.address}/`) || !/@sha256:[0-9a-f]{64}$/.test(i))).toEqual(
      [],
    );
    const health = await fetch(`${status.gatewayUrl}/health`);
    expect(health.status).toBe(200);
    const down = await runCli(['down', '--volumes', '--lab', REGISTRY_LAB], 180_000);
    expect(down.code, down.stderr).toBe(0);
  }, 700_000);
});

function hex(): string {
  return randomBytes(12).toString('hex');
}

import { readdirSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { dockerClient } from '../src/lab/docker/engine.js';
import { LABEL_IMAGE_ROLE, labFilter } from '../src/lab/docker/labels.js';
import { labSpec } from '../src/lab/open-lab.js';
import { ProcessRuntime } from '../src/lab/process/process-runtime.js';
import { runCli, spawnCli } from './run-cli.js';
import { startLocalRegistry } from './local-registry.js';
import { http, testLab } from './test-lab.js';

const docker = dockerClient();
const CLI_LAB = 'w2meet-dcli-it';
const REGISTRY_LAB = 'w2meet-reg-it';

async function labelled(lab: string) {
  const filters = labFilter(lab);
  const [containers, networks, volumes] = await Promise.all([
    docker.listContainers({ all: true, filters }),
    docker.listNetworks({ filters }),
    docker.listVolumes({ filters }),
  ]);
  return { containers, networks, volumes: volumes.Volumes ?? [] };
}

/** Instances of the shared test lab, from its addresses: one container each. */
const instances = Object.keys(testLab().addresses);
const serviceInstances = instances.filter((id) => /-service(-\d+)?$/.test(id));

afterAll(async () => {
  await runCli(['down', '--volumes', '--lab', CLI_LAB]);
  await runCli(['down', '--volumes', '--lab', REGISTRY_LAB]);
});

describe('the shared Docker lab', () => {
  it('labels every container, its network and its volumes with the lab and the version', async () => {
    const { containers, networks, volumes } = await labelled(testLab().name);
    expect(containers.map((c) => c.Labels['dev.w2meet.instance']).sort()).toEqual([...instances].sort());
    expect(networks).toHaveLength(1);
    expect(volumes.map((v) => v.Name).sort()).toEqual([`w2meet-${testLab().name}-postgres`, `w2meet-${testLab().name}-rabbitmq`]);
    for (const c of containers)
      expect(c.Labels).toMatchObject({ 'dev.w2meet.lab': testLab().name, 'dev.w2meet.version': expect.any(String) });
    const images = await docker.listImages({ filters: { label: [LABEL_IMAGE_ROLE] } });
    expect(images.map((i) => i.Labels[LABEL_IMAGE_ROLE]).sort()).toEqual(
      expect.arrayContaining(['local-base', 'user-service', 'worker-service']),
    );
  });

  it('runs the services as a non-root user', async () => {
    const { containers } = await labelled(testLab().name);
    const services = containers.filter((c) => c.Labels['dev.w2meet.component']?.endsWith('-service'));
    expect(services).toHaveLength(serviceInstances.length);
    for (const c of services) {
      const info = await docker.getContainer(c.Id).inspect();
      expect(info.Config.User, c.Names[0]).toBe('10001:10001');
      expect(info.State.Running).toBe(true);
    }
  });
});

describe('w2meet up --runtime docker from the command line', () => {
  it('up publishes only the gateway, on 127.0.0.1, and reuses the images it built before', async () => {
    const res = await runCli(['up', '--runtime', 'docker', '--lab', CLI_LAB, '--port', '0', '--json'], 300_000);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stderr).toContain('reusing w2meet/local-base');
    expect(res.stderr).not.toContain('building w2meet/');
    const status = JSON.parse(res.stdout);
    expect(status.runtime).toBe('docker');
    for (const i of status.instances) expect(i, i.id).toMatchObject({ state: 'running', health: 'healthy' });
    expect(status.instances.find((i: { id: string }) => i.id === 'gateway').timeline).toMatchObject({
      started: expect.any(Number),
      healthy: expect.any(Number),
    });
    const { containers } = await labelled(CLI_LAB);
    const published = containers.flatMap((c) =>
      c.Ports.filter((p) => p.PublicPort).map((p) => ({ name: c.Labels['dev.w2meet.component'], ip: p.IP })),
    );
    expect(published).toEqual([{ name: 'gateway', ip: '127.0.0.1' }]);
    expect((await http(`${status.gatewayUrl}/suggestion/health`)).status).toBe(200);
  });

  it('up after an up killed mid-way removes the leftovers and starts a whole lab', async () => {
    await runCli(['down', '--lab', CLI_LAB]);
    const up = spawnCli(['up', '--runtime', 'docker', '--lab', CLI_LAB, '--port', '0']);
    await up.waitForStderr('healthy  redis');
    up.signal('SIGKILL');
    await up.exited;
    expect((await labelled(CLI_LAB)).containers.length).toBeGreaterThan(0);
    const res = await runCli(['up', '--runtime', 'docker', '--lab', CLI_LAB, '--port', '0', '--json'], 300_000);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stderr).toContain('cleaning up what an earlier run');
    const status = JSON.parse(res.stdout);
    expect(status.instances).toHaveLength(10);
    for (const i of status.instances) expect(i, i.id).toMatchObject({ state: 'running', health: 'healthy' });
  });

  it('Ctrl-C during up removes every container and the network, and exits 130', async () => {
    await runCli(['down', '--lab', CLI_LAB]);
    const up = spawnCli(['up', '--runtime', 'docker', '--lab', CLI_LAB, '--port', '0']);
    await up.waitForStderr('healthy  postgres');
    up.signal('SIGINT');
    expect(await up.exited).toBe(130);
    const left = await labelled(CLI_LAB);
    expect(left.containers.map((c) => c.Names[0]).concat(left.networks.map((n) => n.Name))).toEqual([]);
  }, 300_000);

  it('comes back after the same lab ran on processes and lost its data there: credentials stay with the data they protect', async () => {
    const first = await runCli(['up', '--runtime', 'docker', '--lab', CLI_LAB, '--port', '0'], 300_000);
    expect(first.code, first.stderr).toBe(0);
    expect((await runCli(['down', '--lab', CLI_LAB])).code).toBe(0);
    // As `grade --runtime process` does: the same lab name up on processes, then down with its data.
    const processes = new ProcessRuntime();
    await processes.up(await labSpec({ name: CLI_LAB, gatewayPort: 0 }, processes));
    await processes.down(CLI_LAB, { volumes: true });
    expect((await labelled(CLI_LAB)).volumes).toHaveLength(2);
    // A read-only command in between makes no credentials.
    await runCli(['status', '--lab', CLI_LAB]);
    const again = await runCli(['up', '--runtime', 'docker', '--lab', CLI_LAB, '--port', '0', '--json'], 300_000);
    expect(again.code, again.stderr).toBe(0);
    for (const i of JSON.parse(again.stdout).instances) expect(i, i.id).toMatchObject({ state: 'running', health: 'healthy' });
  }, 600_000);

  it('down --volumes leaves no labelled container, network or volume, and a second down is harmless', async () => {
    const up = await runCli(['up', '--runtime', 'docker', '--lab', CLI_LAB, '--port', '0'], 300_000);
    expect(up.code, up.stderr).toBe(0);
    const first = await runCli(['down', '--volumes', '--lab', CLI_LAB]);
    expect(first.code).toBe(0);
    expect(first.stderr).toContain('stopped 10 components');
    const left = await labelled(CLI_LAB);
    expect(left.containers.length + left.networks.length + left.volumes.length).toBe(0);
    const second = await runCli(['down', '--volumes', '--lab', CLI_LAB]);
    expect(second.code).toBe(0);
    expect(second.stderr).toContain('nothing was running');
  }, 400_000);
});

describe('Ctrl-C during an image build', () => {
  it('ends debootstrap, removes its tree, keeps the image there was, and exits 130', async () => {
    const trees = () =>
      readdirSync('/var/tmp')
        .filter((e) => e.startsWith('w2meet-rootfs-'))
        .sort();
    const before = trees();
    const images = async () =>
      (await docker.listImages({ filters: { label: [`${LABEL_IMAGE_ROLE}=local-base`] } })).map((i) => i.Id).sort();
    const imagesBefore = await images();
    const build = spawnCli(['images', 'build', '--force']);
    await build.waitForStderr('debootstrap ', 60_000);
    await new Promise((r) => setTimeout(r, 2000));
    build.signal('SIGINT');
    expect(await build.exited).toBe(130);
    expect(build.stderr()).toContain('interrupted');
    await new Promise((r) => setTimeout(r, 1000));
    expect(trees()).toEqual(before);
    expect(await images()).toEqual(imagesBefore);
  }, 120_000);
});

describe('the pull path, through a registry on 127.0.0.1', () => {
  it('images push fills a registry; up --images official --registry pulls from it and runs', async () => {
    const { address: registryAddress, stop: stopRegistry } = await startLocalRegistry();
    const port = Number(registryAddress.split(':')[1]);
    const hostTags = async () => new Set((await docker.listImages()).flatMap((i) => i.RepoTags ?? []).filter((t) => t !== '<none>:<none>'));
    const before = await hostTags();
    try {
      const pushed = await runCli(['images', 'push', '--registry', `127.0.0.1:${port}`], 600_000);
      expect(pushed.code, pushed.stderr).toBe(0);
      expect(pushed.stdout).toContain(`127.0.0.1:${port}/postgres:16-bookworm`);
      const catalog = await http(`http://127.0.0.1:${port}/v2/_catalog`);
      expect(catalog.body.repositories).toEqual(expect.arrayContaining(['postgres', 'redis', 'rabbitmq', 'nginx', 'node']));
      const up = await runCli(
        [
          'up',
          '--runtime',
          'docker',
          '--images',
          'official',
          '--registry',
          `127.0.0.1:${port}`,
          '--lab',
          REGISTRY_LAB,
          '--port',
          '0',
          '--json',
        ],
        600_000,
      );
      expect(up.code, up.stderr).toBe(0);
      expect(up.stderr).toContain(`pulling 127.0.0.1:${port}/postgres:16-bookworm`);
      const status = JSON.parse(up.stdout);
      for (const i of status.instances) expect(i, i.id).toMatchObject({ state: 'running', health: 'healthy' });
      // What the mirror served is kept under w2meet's own names: no official name and no tag of
      // the registry's was added to the host.
      const added = [...(await hostTags())].filter((t) => !before.has(t));
      expect(
        added.filter((t) => !t.startsWith('w2meet/')),
        'tags added outside w2meet/',
      ).toEqual([]);
      expect(added).toEqual(expect.arrayContaining(['w2meet/mirror/postgres:16-bookworm']));
    } finally {
      await runCli(['down', '--volumes', '--lab', REGISTRY_LAB]);
      for (const t of [...(await hostTags())].filter((t) => t.startsWith('w2meet/mirror/') && !before.has(t))) {
        await docker
          .getImage(t)
          .remove({ noprune: true })
          .catch(() => {});
      }
      stopRegistry();
    }
  }, 900_000);
});

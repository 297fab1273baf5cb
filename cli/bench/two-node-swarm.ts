/**
 * npm run bench:two-node-swarm — the lab on a swarm of two Engines, both on this machine: the
 * Engine w2meet talks to as manager, and a second Engine it starts in a network namespace of its
 * own (a veth pair between them, 10.213.7.0/30), joined as a worker. Then `w2meet up --runtime
 * swarm --spread` and `w2meet grade` on it, as on a cluster of two machines: every replica after
 * the first on the other node, cross-node traffic over VXLAN, logs gathered by the manager.
 *
 * Prints where each instance ran, the start-up time, grade's verdicts and its exit code, and
 * writes them to reports/bench-two-node-swarm-<time>.json. Undoes everything it made, in reverse,
 * after an error, Ctrl-C, SIGTERM or SIGHUP too (not after SIGKILL): the lab (down -v), both swarm memberships, the second Engine (by its pid) and
 * its folders, the namespace and the veth pair. Needs root, a Docker Engine in no swarm with no
 * lab running, the docker CLI, `ip`, `unshare` and `nsenter`. Nothing leaves the machine: the
 * second Engine has no route but to the first.
 *
 * The second node gets the images as a cluster's nodes do, from a registry both pull from by one
 * name (see node-registry.ts: `images push`, then `up --registry`); with BENCH_IMAGES=copy, copied
 * to it instead (`docker save | docker load`, no registry).
 *
 * BENCH_SCENARIOS (all of grade's suite) names the scenarios to grade, space-separated.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import Docker from 'dockerode';
import { buildLabImages } from '../src/lab/docker/lab-images.js';
import { packageRoot } from '../src/shared/paths.js';
import { initSwarm } from '../src/lab/swarm/swarm-membership.js';
import { localName } from '../src/lab/swarm/swarm-images.js';
import { checkNetnsEngine, startNetnsEngine } from '../test/netns-engine.js';
import { startNodeRegistry } from './node-registry.js';

const run = promisify(execFile);
/** The second node (see ../test/netns-engine.ts): it publishes no port, so no userland proxy. */
const NODE2 = { name: 'w2meet-node2', subnet: '10.213.7', userlandProxy: false };
const NETNS = NODE2.name;
const HOST_IP = `${NODE2.subnet}.1`;
const NODE_IP = `${NODE2.subnet}.2`;
const SOCKET = `/run/${NODE2.name}/run/docker.sock`;
const REGISTRY_DIR = '/var/lib/w2meet-node2-registry';
/** How the second node gets the images: from a registry both pull from (as a cluster does), or copied (`docker save | docker load`). */
const IMAGES_VIA = process.env.BENCH_IMAGES === 'copy' ? 'copy' : 'registry';
const LAB = 'two-node';
const REPLICAS = 'availability-service=2,suggestion-service=2,worker-service=2';
const CLI = join(packageRoot(), 'dist', 'cli', 'w2meet.js');

/** What was made, undone in reverse order at the end. */
const undo: { what: string; step: () => Promise<unknown> }[] = [];

function say(line: string): void {
  process.stderr.write(`${line}\n`);
}

/** The built CLI, its output passed through; resolves with its exit code and the seconds it took. */
function w2meet(args: string[], options: { ownGroup?: boolean } = {}): Promise<{ code: number | null; seconds: number; stdout: string }> {
  const start = performance.now();
  return new Promise((resolve) => {
    // In a group of its own, a Ctrl-C at the terminal does not reach it (the undo's `down`).
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'inherit'], detached: options.ownGroup ?? false });
    child.stdout.pipe(process.stdout);
    let stdout = '';
    child.stdout?.on('data', (d) => (stdout += d));
    child.on('exit', (code) => resolve({ code, seconds: (performance.now() - start) / 1000, stdout }));
    child.on('error', () => resolve({ code: null, seconds: (performance.now() - start) / 1000, stdout }));
  });
}

async function preflight(docker: Docker): Promise<void> {
  await checkNetnsEngine(NODE2);
  const info = (await docker.info()) as { Swarm?: { LocalNodeState?: string } };
  if (info.Swarm?.LocalNodeState !== 'inactive')
    throw new Error('the Engine is in a swarm already; this makes its own of two nodes: `w2meet swarm leave` first');
  for (const tool of IMAGES_VIA === 'registry' ? ['docker-registry', 'socat'] : ['docker'])
    await run('sh', ['-c', `command -v ${tool}`]).catch(() => {
      throw new Error(`${tool} is not installed: \`w2meet doctor --fix\` installs the Engine and docker-registry; socat is Debian's socat`);
    });
  if (
    await stat(REGISTRY_DIR).then(
      () => true,
      () => false,
    )
  )
    throw new Error(`${REGISTRY_DIR} exists (an earlier run was killed?): look at it, remove it, and run again`);
}

/** The lab's images, copied to the second Engine (no registry: `docker save | docker load`). */
async function copyImages(docker: Docker): Promise<number> {
  // Under the names the swarm runtime runs them by (localhost/…, see swarm-images.ts).
  const built = [...new Set(Object.values(await buildLabImages(docker, 'local', (line) => say(`  ${line}`))))];
  const refs = built.map(localName);
  for (const [n, ref] of refs.entries()) {
    const at = ref.lastIndexOf(':');
    await docker.getImage(built[n]!).tag({ repo: ref.slice(0, at), tag: ref.slice(at + 1) });
  }
  const start = performance.now();
  await new Promise<void>((resolve, reject) => {
    const save = spawn('docker', ['save', ...refs], { stdio: ['ignore', 'pipe', 'inherit'] });
    const load = spawn('docker', ['-H', `unix://${SOCKET}`, 'load', '-q'], { stdio: ['pipe', 'ignore', 'inherit'] });
    save.stdout.pipe(load.stdin);
    save.on('error', reject);
    load.on('error', reject);
    save.on('exit', (code) => code !== 0 && reject(new Error(`docker save exited ${code}`)));
    load.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`docker load exited ${code}`))));
  });
  return (performance.now() - start) / 1000;
}

async function makeSwarm(docker: Docker, node2: Docker): Promise<void> {
  say((await initSwarm(docker, HOST_IP)).message);
  undo.push({ what: "the first Engine's swarm", step: () => docker.swarmLeave({ force: true }) });
  const token = ((await docker.swarmInspect()) as { JoinTokens: { Worker: string } }).JoinTokens.Worker;
  await node2.swarmJoin({ ListenAddr: `${NODE_IP}:2377`, AdvertiseAddr: NODE_IP, RemoteAddrs: [`${HOST_IP}:2377`], JoinToken: token });
  undo.push({ what: "the second Engine's swarm", step: () => node2.swarmLeave({ force: true }) });
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const nodes = (await docker.listNodes()) as Array<{ Status?: { State?: string } }>;
    if (nodes.length === 2 && nodes.every((n) => n.Status?.State === 'ready')) return;
    await sleep(500);
  }
  throw new Error('the second Engine did not become a ready node of the swarm in 60 s');
}

/** Where each instance's running task is: instance → node hostname. */
async function placement(docker: Docker): Promise<Record<string, string>> {
  const nodes = new Map(
    ((await docker.listNodes()) as Array<{ ID: string; Description?: { Hostname?: string } }>).map((n) => [
      n.ID,
      n.Description?.Hostname ?? n.ID,
    ]),
  );
  const services = (await docker.listServices({ filters: { label: [`dev.w2meet.lab=${LAB}`] } })) as Array<{
    ID: string;
    Spec: { Name: string };
  }>;
  const out: Record<string, string> = {};
  for (const s of services.sort((a, b) => a.Spec.Name.localeCompare(b.Spec.Name))) {
    const tasks = (await docker.listTasks({ filters: { service: [s.ID], 'desired-state': ['running'] } })) as Array<{ NodeID: string }>;
    out[s.Spec.Name.replace(`w2meet-${LAB}-`, '')] = tasks.map((t) => nodes.get(t.NodeID) ?? t.NodeID).join(', ') || '-';
  }
  return out;
}

async function main(): Promise<void> {
  const docker = new Docker();
  let interrupted = false;
  // Ctrl-C, a hang-up or a kill ends the run the same way: the current step ends, then everything
  // made is undone; further signals while undoing are noted, not obeyed.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const)
    process.on(signal, () => {
      if (!interrupted) say(`${signal}: undoing what was made once the current step ends`);
      interrupted = true;
    });
  const figures: Record<string, unknown> = { when: new Date().toISOString(), replicas: REPLICAS };
  try {
    await preflight(docker);
    const second = await startNetnsEngine(NODE2);
    undo.push({ what: 'the second Engine, its folders, namespace and veth pair', step: second.stop });
    const node2 = second.docker;
    say(`second Engine up in namespace ${NETNS} (${NODE_IP}), hostname ${NETNS}`);
    figures.images = IMAGES_VIA;
    const registryArgs: string[] = [];
    if (IMAGES_VIA === 'copy') {
      figures.imageCopySeconds = await copyImages(docker);
      say(`images copied to it in ${(figures.imageCopySeconds as number).toFixed(1)} s`);
    } else {
      const registry = await startNodeRegistry(REGISTRY_DIR, NETNS);
      undo.push({
        what: 'the registry, its relays, and the names of it this Engine keeps',
        step: async () => {
          const names = (await docker.listImages()).flatMap((i) => [...(i.RepoTags ?? []), ...(i.RepoDigests ?? [])]);
          for (const n of names.filter((n) => n.startsWith(`${registry.address}/`)))
            await docker
              .getImage(n)
              .remove({ noprune: true })
              .catch(() => {});
          await registry.stop();
        },
      });
      const push = await w2meet(['images', 'push', '--registry', registry.address]);
      if (push.code !== 0) throw new Error(`images push exited ${push.code}`);
      figures.imagePushSeconds = push.seconds;
      say(`base image pushed to ${registry.address} in ${push.seconds.toFixed(1)} s; the lab's services are pushed by up`);
      registryArgs.push('--registry', registry.address);
    }
    await makeSwarm(docker, node2);
    if (interrupted) return;
    undo.push({ what: `lab ${LAB}`, step: () => w2meet(['down', '--lab', LAB, '-v'], { ownGroup: true }) });
    const up = await w2meet(['up', '--runtime', 'swarm', '--spread', '--lab', LAB, '--port', '0', '--replicas', REPLICAS, ...registryArgs]);
    figures.up = { code: up.code, seconds: up.seconds };
    if (up.code !== 0 || interrupted) return;
    figures.placement = await placement(docker);
    say('\nwhere each instance runs:');
    for (const [instance, node] of Object.entries(figures.placement as Record<string, string>)) say(`  ${instance.padEnd(24)} ${node}`);
    const scenarios = (process.env.BENCH_SCENARIOS ?? '').split(/\s+/).filter(Boolean);
    const grade = await w2meet(['grade', '--lab', LAB, ...scenarios]);
    figures.grade = { code: grade.code, seconds: grade.seconds, scenarios: scenarios.length ? scenarios : 'all' };
  } finally {
    for (const { what, step } of undo.reverse()) {
      try {
        await step();
      } catch (err) {
        say(`could not undo ${what}: ${(err as Error).message}`);
      }
    }
    await mkdir(join(packageRoot(), 'reports'), { recursive: true });
    const file = join(packageRoot(), 'reports', `bench-two-node-swarm-${Date.now()}.json`);
    await writeFile(file, `${JSON.stringify(figures, null, 2)}\n`);
    say(`\n${JSON.stringify(figures)}\nwritten to ${file}`);
  }
}

main().catch((err) => {
  say(`two-node swarm: ${(err as Error).message}`);
  process.exitCode = 1;
});

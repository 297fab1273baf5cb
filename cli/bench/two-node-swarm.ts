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
import { closeSync, openSync } from 'node:fs';
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import Docker from 'dockerode';
import { buildLabImages } from '../src/lab/docker/lab-images.js';
import { packageRoot } from '../src/lab/paths.js';
import { initSwarm } from '../src/lab/swarm/swarm-membership.js';
import { localName } from '../src/lab/swarm/swarm-images.js';
import { startNodeRegistry } from './node-registry.js';

const run = promisify(execFile);
const NETNS = 'w2meet-node2';
const HOST_IF = 'w2m-n2-host';
const NODE_IF = 'w2m-n2-node';
const HOST_IP = '10.213.7.1';
const NODE_IP = '10.213.7.2';
const NODE_HOSTNAME = 'w2meet-node2';
const DATA_ROOT = '/var/lib/w2meet-node2';
const RUN_DIR = '/run/w2meet-node2';
const SOCKET = `${RUN_DIR}/run/docker.sock`;
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
  if (process.getuid?.() !== 0) throw new Error('this needs root: it makes a network namespace and starts a second Docker Engine');
  const info = (await docker.info()) as { Swarm?: { LocalNodeState?: string } };
  if (info.Swarm?.LocalNodeState !== 'inactive')
    throw new Error('the Engine is in a swarm already; this makes its own of two nodes: `w2meet swarm leave` first');
  const { stdout: namespaces } = await run('ip', ['netns', 'list']);
  if (namespaces.split('\n').some((l) => l.split(' ')[0] === NETNS))
    throw new Error(`network namespace ${NETNS} exists (an earlier run was killed?): remove it with \`ip netns del ${NETNS}\``);
  const { stdout: addresses } = await run('ip', ['-4', '-o', 'addr']);
  if (addresses.includes(' 10.213.7.')) throw new Error('10.213.7.0/30 is in use on this machine: this run would clash with it');
  const tools = ['docker', 'dockerd', 'nsenter', 'unshare', ...(IMAGES_VIA === 'registry' ? ['docker-registry', 'socat'] : [])];
  for (const tool of tools)
    await run('sh', ['-c', `command -v ${tool}`]).catch(() => {
      throw new Error(
        `${tool} is not installed: \`w2meet doctor --fix\` installs the Engine and docker-registry; nsenter and unshare are util-linux's; socat is Debian's socat`,
      );
    });
  // Its folders are removed at the end: ones already there (not made by this run) are refused, not removed.
  for (const dir of [DATA_ROOT, RUN_DIR, REGISTRY_DIR])
    if (
      await stat(dir).then(
        () => true,
        () => false,
      )
    )
      throw new Error(`${dir} exists (an earlier run was killed?): look at it, remove it, and run again`);
}

async function makeNamespace(): Promise<void> {
  await run('ip', ['netns', 'add', NETNS]);
  undo.push({ what: `namespace ${NETNS} and its veth pair`, step: () => run('ip', ['netns', 'del', NETNS]) });
  await run('ip', ['link', 'add', HOST_IF, 'type', 'veth', 'peer', 'name', NODE_IF]);
  undo.push({ what: `veth ${HOST_IF}`, step: () => run('ip', ['link', 'del', HOST_IF]).catch(() => {}) });
  await run('ip', ['link', 'set', NODE_IF, 'netns', NETNS]);
  await run('ip', ['addr', 'add', `${HOST_IP}/30`, 'dev', HOST_IF]);
  await run('ip', ['link', 'set', HOST_IF, 'up']);
  for (const args of [
    ['addr', 'add', `${NODE_IP}/30`, 'dev', NODE_IF],
    ['link', 'set', NODE_IF, 'up'],
    ['link', 'set', 'lo', 'up'],
  ])
    await run('ip', ['netns', 'exec', NETNS, 'ip', ...args]);
}

/**
 * The second Engine: in the namespace's network, with a hostname (UTS namespace) and a /run (mount
 * namespace) of its own, the rest shared with this machine. Its own /run is a folder of this one's
 * (RUN_DIR/run), so inside it listens on /var/run/docker.sock as on a machine of its own (what a
 * fault job on that node mounts), and from here on RUN_DIR/run/docker.sock.
 */
async function startSecondEngine(): Promise<Docker> {
  await mkdir(join(RUN_DIR, 'run'), { recursive: true });
  await mkdir(DATA_ROOT, { recursive: true });
  // Not the host's /etc/docker/daemon.json: a second Engine of defaults.
  await writeFile(join(RUN_DIR, 'run', 'daemon.json'), '{}\n');
  const log = openSync(join(RUN_DIR, 'dockerd.log'), 'a');
  const inside = [
    'mount --make-rprivate /',
    `mount --bind ${RUN_DIR}/run /run`,
    `hostname ${NODE_HOSTNAME}`,
    `exec dockerd --config-file /run/daemon.json --data-root ${DATA_ROOT} --exec-root /run/docker-exec --pidfile /run/dockerd.pid -H unix:///run/docker.sock --userland-proxy=false`,
  ].join(' && ');
  const child = spawn('nsenter', [`--net=/run/netns/${NETNS}`, 'unshare', '--uts', '--mount', 'sh', '-c', inside], {
    stdio: ['ignore', log, log],
    detached: true,
  });
  closeSync(log);
  const exited = new Promise<void>((resolve) => {
    child.on('exit', () => resolve());
    child.on('error', () => resolve());
  });
  undo.push({
    what: 'the second Engine and its folders',
    step: async () => {
      child.kill('SIGTERM');
      const stopped = await Promise.race([exited.then(() => true), sleep(30_000).then(() => false)]);
      if (!stopped && child.pid) {
        // Its whole process group (it was started detached): the Engine and the containerd and
        // shims it started, so none outlives the folders removed below.
        process.kill(-child.pid, 'SIGKILL');
        await exited;
      }
      // Its mounts were in its own mount namespace, gone with it; none was made in this one.
      await unmountUnder(DATA_ROOT);
      await unmountUnder(RUN_DIR);
      await rm(DATA_ROOT, { recursive: true, force: true });
      await rm(RUN_DIR, { recursive: true, force: true });
    },
  });
  const node2 = new Docker({ socketPath: SOCKET });
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (
      await node2.ping().then(
        () => true,
        () => false,
      )
    )
      return node2;
    if (child.exitCode !== null) break;
    await sleep(250);
  }
  // Its folder goes with the undo: the log's end is said here.
  const tail = (await readFile(join(RUN_DIR, 'dockerd.log'), 'utf8').catch(() => '')).trim().split('\n').slice(-5).join('\n');
  throw new Error(`the second Engine did not answer on ${SOCKET}; the end of its log:\n${tail}`);
}

/** Mounts the second Engine left under a folder (after a kill), innermost first, so removing it touches nothing else. */
async function unmountUnder(dir: string): Promise<void> {
  const mounts = (await readFile('/proc/self/mounts', 'utf8'))
    .split('\n')
    .map((l) => l.split(' ')[1] ?? '')
    .filter((m) => m === dir || m.startsWith(`${dir}/`))
    .sort((a, b) => b.length - a.length);
  for (const m of mounts) await run('umount', ['-l', m]).catch(() => {});
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
    await makeNamespace();
    const node2 = await startSecondEngine();
    say(`second Engine up in namespace ${NETNS} (${NODE_IP}), hostname ${NODE_HOSTNAME}`);
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

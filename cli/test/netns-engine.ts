import { execFile, spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import Docker from 'dockerode';

const run = promisify(execFile);

/**
 * A second Docker Engine on this machine that stands for another machine: in a network namespace
 * of its own (a veth pair to this one, a /30 between them), with a hostname (UTS namespace) and a
 * /run (mount namespace) of its own, the rest shared. This machine reaches it only at its address
 * on the link: not its 127.0.0.1, not its containers. Used by the two-node bench (a worker) and
 * the remote-manager test (a manager reached over TCP with TLS).
 */
export interface NetnsEngineOptions {
  /** Names the namespace, the veth pair (shortened), the folders, and its hostname. */
  name: string;
  /** The first three octets of its /30: this machine is .1, it is .2. */
  subnet: string;
  /** Also listen on TCP at its address, port 2376, with TLS and client certificates (made here). */
  tls?: boolean;
  /** Docker's userland proxy for published ports (off on the bench's worker, which publishes none). */
  userlandProxy?: boolean;
}

export interface NetnsEngine {
  docker: Docker;
  hostIp: string;
  nodeIp: string;
  netns: string;
  /** Its Unix socket, as this machine sees it. */
  socket: string;
  /** With tls: the environment a Docker client on this machine reaches it with (DOCKER_HOST, DOCKER_TLS_VERIFY, DOCKER_CERT_PATH). */
  clientEnv: Record<string, string>;
  /**
   * What to look at when a test against it fails: whether its process is still there (or when and
   * how it ended), and the end of its log. Read before stop(), which removes the log.
   */
  diagnose: (lines?: number) => Promise<string>;
  /** Stops it and removes its folders, namespace and veth pair. Safe to call twice. */
  stop: () => Promise<void>;
}

/** What a run needs (root, the tools) and nothing left of an earlier one; throws saying what is missing. */
export async function checkNetnsEngine(options: NetnsEngineOptions): Promise<void> {
  // It goes into paths and a root shell's command line: plain names only.
  if (!/^[a-z0-9-]{1,20}$/.test(options.name) || !/^\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(options.subnet))
    throw new Error(
      `a network namespace engine takes a name of a-z, 0-9 and - and a subnet of three octets, not ${options.name} ${options.subnet}`,
    );
  if (process.getuid?.() !== 0) throw new Error('this needs root: it makes a network namespace and starts a second Docker Engine');
  for (const tool of ['ip', 'dockerd', 'nsenter', 'unshare', ...(options.tls ? ['openssl'] : [])])
    await run('sh', ['-c', `command -v ${tool}`]).catch(() => {
      throw new Error(
        `${tool} is not installed: \`w2meet doctor --fix\` installs the Engine; ip is iproute2's, nsenter and unshare util-linux's`,
      );
    });
  const { netns, dataRoot, runDir } = namesOf(options);
  const { stdout: namespaces } = await run('ip', ['netns', 'list']);
  if (namespaces.split('\n').some((l) => l.split(' ')[0] === netns))
    throw new Error(`network namespace ${netns} exists (an earlier run was killed?): remove it with \`ip netns del ${netns}\``);
  const { stdout: addresses } = await run('ip', ['-4', '-o', 'addr']);
  if (addresses.includes(` ${options.subnet}.`))
    throw new Error(`${options.subnet}.0/30 is in use on this machine: this run would clash with it`);
  // Its folders are removed at the end: ones already there (not made by this run) are refused, not removed.
  for (const dir of [dataRoot, runDir])
    if (
      await stat(dir).then(
        () => true,
        () => false,
      )
    )
      throw new Error(`${dir} exists (an earlier run was killed?): look at it, remove it, and run again`);
}

function namesOf(options: NetnsEngineOptions) {
  const short = options.name.replace(/^w2meet-/, '').slice(0, 8);
  return {
    netns: options.name,
    hostIf: `w2m-${short}-h`,
    nodeIf: `w2m-${short}-n`,
    dataRoot: `/var/lib/${options.name}`,
    runDir: `/run/${options.name}`,
  };
}

/** Starts it; on any failure undoes what it made before throwing. */
export async function startNetnsEngine(options: NetnsEngineOptions): Promise<NetnsEngine> {
  await checkNetnsEngine(options);
  const { netns, hostIf, nodeIf, dataRoot, runDir } = namesOf(options);
  const hostIp = `${options.subnet}.1`;
  const nodeIp = `${options.subnet}.2`;
  const undo: Array<() => Promise<unknown>> = [];
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    for (const step of undo.reverse()) await step().catch(() => {});
  };
  try {
    await run('ip', ['netns', 'add', netns]);
    undo.push(() => run('ip', ['netns', 'del', netns]));
    await run('ip', ['link', 'add', hostIf, 'type', 'veth', 'peer', 'name', nodeIf]);
    undo.push(() => run('ip', ['link', 'del', hostIf]));
    await run('ip', ['link', 'set', nodeIf, 'netns', netns]);
    await run('ip', ['addr', 'add', `${hostIp}/30`, 'dev', hostIf]);
    await run('ip', ['link', 'set', hostIf, 'up']);
    for (const args of [
      ['addr', 'add', `${nodeIp}/30`, 'dev', nodeIf],
      ['link', 'set', nodeIf, 'up'],
      ['link', 'set', 'lo', 'up'],
    ])
      await run('ip', ['netns', 'exec', netns, 'ip', ...args]);

    // Its own /run is a folder of this one's (runDir/run): inside it listens on /var/run/docker.sock
    // as on a machine of its own (what a fault job on that node mounts), and from here on runDir/run/docker.sock.
    undo.push(async () => {
      // Its mounts were in its own mount namespace, gone with it; none was made in this one.
      await unmountUnder(dataRoot);
      await unmountUnder(runDir);
      await rm(dataRoot, { recursive: true, force: true });
      await rm(runDir, { recursive: true, force: true });
    });
    await mkdir(join(runDir, 'run'), { recursive: true, mode: 0o700 });
    await mkdir(dataRoot, { recursive: true });
    // In its /run, where it reads them as /run/tls.
    const tlsDir = join(runDir, 'run', 'tls');
    const clientEnv: Record<string, string> = {};
    const listen = ['-H unix:///run/docker.sock'];
    if (options.tls) {
      await makeCertificates(tlsDir, nodeIp);
      listen.push(
        `--tlsverify --tlscacert /run/tls/ca.pem --tlscert /run/tls/server-cert.pem --tlskey /run/tls/server-key.pem -H tcp://${nodeIp}:2376`,
      );
      Object.assign(clientEnv, { DOCKER_HOST: `tcp://${nodeIp}:2376`, DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: join(tlsDir, 'client') });
    }
    // Not the host's /etc/docker/daemon.json: an Engine of defaults.
    await writeFile(join(runDir, 'run', 'daemon.json'), '{}\n');
    const logPath = join(runDir, 'dockerd.log');
    const log = openSync(logPath, 'a');
    const inside = [
      'mount --make-rprivate /',
      `mount --bind ${runDir}/run /run`,
      `hostname ${options.name}`,
      `exec dockerd --config-file /run/daemon.json --data-root ${dataRoot} --exec-root /run/docker-exec --pidfile /run/dockerd.pid ${listen.join(' ')}${options.userlandProxy === false ? ' --userland-proxy=false' : ''}`,
    ].join(' && ');
    const child = spawn('nsenter', [`--net=/run/netns/${netns}`, 'unshare', '--uts', '--mount', 'sh', '-c', inside], {
      stdio: ['ignore', log, log],
      detached: true,
    });
    closeSync(log);
    const startedAt = Date.now();
    // Set when its process ends before stop() asks it to: the one fact a refused connection hides.
    let endedOnItsOwn = '';
    const exited = new Promise<void>((resolve) => {
      child.on('exit', (code, signal) => {
        if (!stopped)
          endedOnItsOwn = `its process ended on its own ${((Date.now() - startedAt) / 1000).toFixed(1)} s after start (code ${code}, signal ${signal})`;
        resolve();
      });
      child.on('error', () => resolve());
    });
    const diagnose = async (lines = 60) => {
      const tail = (await readFile(logPath, 'utf8').catch(() => '(its log is gone)')).trimEnd().split('\n').slice(-lines).join('\n');
      return `the Engine in namespace ${netns}: ${endedOnItsOwn || 'its process is running'}; the last ${lines} lines of its log (${logPath}):\n${tail}`;
    };
    undo.push(async () => {
      child.kill('SIGTERM');
      const gone = await Promise.race([exited.then(() => true), sleep(30_000).then(() => false)]);
      if (!gone && child.pid) {
        // Its whole process group (it was started detached): the Engine and the containerd it started.
        process.kill(-child.pid, 'SIGKILL');
        await exited;
      }
      // Anything else still in its namespace (containerd's shims run in groups of their own), by id,
      // so none outlives the folders removed after.
      const { stdout } = await run('ip', ['netns', 'pids', netns]).catch(() => ({ stdout: '' }));
      for (const pid of stdout
        .split('\n')
        .map(Number)
        .filter((p) => p > 1)) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {}
      }
    });
    const socket = join(runDir, 'run', 'docker.sock');
    const docker = new Docker({ socketPath: socket });
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      if (
        await docker.ping().then(
          () => true,
          () => false,
        )
      )
        return { docker, hostIp, nodeIp, netns, socket, clientEnv, diagnose, stop };
      if (child.exitCode !== null) break;
      await sleep(250);
    }
    throw new Error(`the Engine in namespace ${netns} did not answer on ${socket}; ${await diagnose(5)}`);
  } catch (err) {
    await stop();
    throw err;
  }
}

/**
 * A CA of the run's own, the Engine's certificate for its address, and a client's: what a remote
 * Engine on TCP takes (one without TLS would let any local user drive it, as root).
 */
async function makeCertificates(dir: string, ip: string): Promise<void> {
  await mkdir(join(dir, 'client'), { recursive: true, mode: 0o700 });
  const key = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  const openssl = (args: string[]) => run('openssl', args, { cwd: dir });
  await openssl(['req', '-x509', ...key, '-keyout', 'ca-key.pem', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=w2meet test CA']);
  const sign = async (name: string, csr: string, extensions: string, out: string) => {
    await writeFile(join(dir, `${name}.ext`), extensions);
    await openssl([
      'x509',
      '-req',
      '-in',
      csr,
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca-key.pem',
      '-CAcreateserial',
      '-days',
      '2',
      '-out',
      out,
      '-extfile',
      `${name}.ext`,
    ]);
  };
  await openssl(['req', ...key, '-keyout', 'server-key.pem', '-out', 'server.csr', '-subj', `/CN=${ip}`]);
  await sign('server', 'server.csr', `subjectAltName=IP:${ip}\nextendedKeyUsage=serverAuth\n`, 'server-cert.pem');
  await openssl(['req', ...key, '-keyout', 'client/key.pem', '-out', 'client.csr', '-subj', '/CN=w2meet test client']);
  await sign('client', 'client.csr', 'extendedKeyUsage=clientAuth\n', 'client/cert.pem');
  await openssl(['x509', '-in', 'ca.pem', '-out', 'client/ca.pem']);
  // Nothing more is signed: the CA's key is not kept.
  await rm(join(dir, 'ca-key.pem'));
}

/** Mounts the Engine left under a folder (after a kill), innermost first, so removing it touches nothing else. */
async function unmountUnder(dir: string): Promise<void> {
  const mounts = (await readFile('/proc/self/mounts', 'utf8'))
    .split('\n')
    .map((l) => l.split(' ')[1] ?? '')
    .filter((m) => m === dir || m.startsWith(`${dir}/`))
    .sort((a, b) => b.length - a.length);
  for (const m of mounts) await run('umount', ['-l', m]).catch(() => {});
}

import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { get } from 'node:http';
import { type AddressInfo, createConnection, createServer } from 'node:net';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const COURSE_ROLES = ['gateway', 'user-service', 'availability-service', 'suggestion-service', 'worker-service'] as const;
export type CourseRole = (typeof COURSE_ROLES)[number];

export interface CourseProcesses {
  /** The gateway, `http://127.0.0.1:PORT`. */
  url: string;
  /** Every line each role logs, in `dir`. */
  logFiles: Record<CourseRole, string>;
  redisPort: number;
  /** Ends exactly the processes this start began: SIGTERM, SIGKILL after 3 s. Safe to call twice. */
  stop(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

export interface StartCourseOptions {
  /** Where the log files go (created if missing). */
  dir: string;
  /** Extra environment for the five roles (DB_LATENCY_MS, TTL_SECONDS...). */
  env?: Record<string, string>;
  /** @default 15000 */
  readyTimeoutMs?: number;
}

const SCRIPT = fileURLToPath(new URL('./course-api.mjs', import.meta.url));
const KILL_AFTER_MS = 3000;
const TAIL_BYTES = 4096;

/** A started child with the end of its output, for the error when it fails. */
interface Started {
  name: string;
  proc: ChildProcess;
  exited: Promise<void>;
  tail(): string;
  gone(): boolean;
}

function launch(name: string, command: string, args: string[], env: NodeJS.ProcessEnv, cwd: string): Started {
  const proc = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  // The pipes are always read, or a chatty child would block on a full one.
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-TAIL_BYTES);
  };
  proc.stdout?.on('data', keep);
  proc.stderr?.on('data', keep);
  let gone = false;
  const exited = new Promise<void>((resolve) => {
    proc.once('exit', (code, signal) => {
      gone = true;
      keep(Buffer.from(`\n[exited with ${signal ?? `code ${code}`}]`));
      resolve();
    });
    proc.once('error', (err) => {
      gone = true;
      keep(Buffer.from(`\n[could not run ${command}: ${err.message}]`));
      resolve();
    });
  });
  return { name, proc, exited, tail: () => output.trim(), gone: () => gone };
}

async function end(child: Started): Promise<void> {
  if (child.gone()) return;
  child.proc.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const killed = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), KILL_AFTER_MS);
  });
  const ended = await Promise.race([child.exited.then(() => true), killed]);
  clearTimeout(timer);
  if (!ended) {
    child.proc.kill('SIGKILL');
    await child.exited;
  }
}

/** Distinct free loopback ports: all are held open together, so none is handed out twice. */
async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<ReturnType<typeof createServer>>((resolve, reject) => {
          const server = createServer();
          server.once('error', reject);
          server.listen(0, '127.0.0.1', () => resolve(server));
        }),
    ),
  );
  const ports = servers.map((s) => (s.address() as AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  return ports;
}

function redisServerBinary(): string {
  const onPath = (process.env.PATH ?? '').split(delimiter).map((dir) => join(dir, 'redis-server'));
  const found = [...onPath, '/usr/bin/redis-server'].find((file) => existsSync(file));
  if (!found) throw new Error("redis-server was not found on the PATH nor at /usr/bin/redis-server: install Debian's redis-server package");
  return found;
}

function httpOk(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = get(url, { agent: false, timeout: 1000, headers: { 'Case-ID': 'w2meet-probe-course' } }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
  });
}

function redisPong(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    let reply = '';
    const finish = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => finish(false));
    socket.on('connect', () => socket.write('*1\r\n$4\r\nPING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString('utf8');
      if (reply.includes('\r\n')) finish(reply.startsWith('+PONG'));
    });
    socket.on('error', () => finish(false));
  });
}

function failure(child: Started, what: string): Error {
  return new Error(`course ${child.name} ${what}; its last output:\n${child.tail() || '(none)'}`);
}

/**
 * Starts the course's W2Meet system as local processes: a real redis-server and the five roles of
 * course-api.mjs on free loopback ports, each role logging to a file in `dir`, and resolves once
 * every role answers GET /health with 200 and Redis answers PING.
 */
export async function startCourseProcesses(options: StartCourseOptions): Promise<CourseProcesses> {
  mkdirSync(options.dir, { recursive: true });
  const ports = await freePorts(1 + COURSE_ROLES.length);
  const redisPort = ports[0]!;
  const port = Object.fromEntries(COURSE_ROLES.map((role, i) => [role, ports[i + 1]!])) as Record<CourseRole, number>;
  const base = (role: CourseRole) => `http://127.0.0.1:${port[role]}`;
  const logFiles = Object.fromEntries(COURSE_ROLES.map((role) => [role, join(options.dir, `${role}.log`)])) as Record<CourseRole, string>;

  const children: Started[] = [];
  let stopped: Promise<void> | undefined;
  const stop = () => {
    stopped ??= Promise.all(children.map(end)).then(() => undefined);
    return stopped;
  };

  try {
    const redisArgs = ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no'];
    const redis = launch('redis', redisServerBinary(), redisArgs, process.env, options.dir);
    children.push(redis);
    for (const role of COURSE_ROLES) {
      const env = {
        ...process.env,
        ...options.env,
        ROLE: role,
        PORT: String(port[role]),
        HOST: '127.0.0.1',
        USER_URL: base('user-service'),
        AVAILABILITY_URL: base('availability-service'),
        SUGGESTION_URL: base('suggestion-service'),
        WORKER_URL: base('worker-service'),
        REDIS_URL: `redis://127.0.0.1:${redisPort}`,
        LOG_FILE: logFiles[role],
      };
      children.push(launch(role, process.execPath, [SCRIPT], env, options.dir));
    }

    const probes = new Map<Started, () => Promise<boolean>>(
      children.map((child) => [
        child,
        child === redis ? () => redisPong(redisPort) : () => httpOk(`${base(child.name as CourseRole)}/health`),
      ]),
    );
    const timeoutMs = options.readyTimeoutMs ?? 15_000;
    const deadline = Date.now() + timeoutMs;
    while (probes.size > 0) {
      const exited = children.find((child) => child.gone());
      if (exited) throw failure(exited, 'exited while starting');
      if (Date.now() > deadline) throw failure([...probes.keys()][0]!, `was not ready after ${timeoutMs / 1000} s`);
      const results = await Promise.all([...probes].map(async ([child, probe]) => [child, await probe()] as const));
      for (const [child, ready] of results) if (ready) probes.delete(child);
      if (probes.size > 0) await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } catch (err) {
    await stop();
    throw err;
  }

  return { url: base('gateway'), logFiles, redisPort, stop, [Symbol.asyncDispose]: stop };
}

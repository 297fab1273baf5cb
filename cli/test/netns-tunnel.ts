import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * What `ssh -N -L PORT:127.0.0.1:PORT … manager` does for a person, for a test whose "manager" is
 * an Engine in a network namespace (netns-engine.ts): each 127.0.0.1:PORT here carried to
 * 127.0.0.1:PORT there. A relay inside the namespace listens on a Unix socket per port (files cross
 * namespaces) and connects there; one here listens on the port and connects to that socket.
 * Nothing listens on the link between the two.
 */
export interface Tunnel {
  close: () => Promise<void>;
}

/** In the namespace: each connection to relay-PORT.sock carried to 127.0.0.1:PORT. */
const INSIDE = `const net = require('node:net');
const path = require('node:path');
const [dir, ...ports] = process.argv.slice(1);
let listening = 0;
for (const port of ports) {
  net.createServer((client) => {
    const upstream = net.connect(Number(port), '127.0.0.1');
    const close = () => { client.destroy(); upstream.destroy(); };
    client.on('error', close).on('close', close);
    upstream.on('error', close).on('close', close);
    client.pipe(upstream).pipe(client);
  }).listen(path.join(dir, 'relay-' + port + '.sock'), () => {
    if (++listening === ports.length) process.stdout.write('ready\\n');
  });
}`;

export async function openTunnel(netns: string, ports: number[]): Promise<Tunnel> {
  const dir = mkdtempSync(join(tmpdir(), 'w2meet-tunnel-'));
  const inside = spawn('ip', ['netns', 'exec', netns, process.execPath, '-e', INSIDE, dir, ...ports.map(String)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  // A failed spawn (no `ip`) is an 'error' event: without a listener it would end the test worker.
  const spawnFailed = new Promise<boolean>((resolve) => inside.once('error', () => resolve(false)));
  const sockets = new Set<Socket>();
  const servers: Server[] = [];
  const close = async () => {
    for (const s of sockets) s.destroy();
    await Promise.all(servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
    inside.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const ready = await Promise.race([
      new Promise<boolean>((resolve) => inside.stdout.once('data', () => resolve(true))),
      new Promise<boolean>((resolve) => inside.once('exit', () => resolve(false))),
      spawnFailed,
      sleep(10_000, false, { ref: false }),
    ]);
    if (!ready) throw new Error(`the relay in namespace ${netns} did not start`);
    for (const port of ports) {
      const server = createServer((client) => {
        const upstream = createConnection(join(dir, `relay-${port}.sock`));
        for (const s of [client, upstream]) {
          sockets.add(s);
          s.on('close', () => sockets.delete(s));
        }
        const end = () => {
          client.destroy();
          upstream.destroy();
        };
        client.on('error', end).on('close', end);
        upstream.on('error', end).on('close', end);
        client.pipe(upstream).pipe(client);
      });
      await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, '127.0.0.1', () => resolve()));
      servers.push(server);
    }
  } catch (err) {
    await close();
    throw err;
  }
  return { close };
}

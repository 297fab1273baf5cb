import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection, createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * What `ssh -N -L PORT:127.0.0.1:PORT manager` does for a person, for a test whose "manager" is
 * an Engine in a network namespace (netns-engine.ts): 127.0.0.1:PORT here carried to 127.0.0.1:PORT
 * there. A relay inside the namespace listens on a Unix socket (files cross namespaces) and
 * connects there; one here listens on the port and connects to that socket. Nothing listens on the
 * link between the two.
 */
export interface Tunnel {
  close: () => Promise<void>;
}

/** In the namespace: each connection to the socket carried to 127.0.0.1:PORT. */
const INSIDE = `const net = require('node:net');
const [socket, port] = process.argv.slice(1);
net.createServer((client) => {
  const upstream = net.connect(Number(port), '127.0.0.1');
  const close = () => { client.destroy(); upstream.destroy(); };
  client.on('error', close).on('close', close);
  upstream.on('error', close).on('close', close);
  client.pipe(upstream).pipe(client);
}).listen(socket, () => process.stdout.write('ready\\n'));`;

export async function openTunnel(netns: string, port: number): Promise<Tunnel> {
  const dir = mkdtempSync(join(tmpdir(), 'w2meet-tunnel-'));
  const socketPath = join(dir, 'relay.sock');
  const inside = spawn('ip', ['netns', 'exec', netns, process.execPath, '-e', INSIDE, socketPath, String(port)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const ready = await Promise.race([
    new Promise<boolean>((resolve) => inside.stdout.once('data', () => resolve(true))),
    new Promise<boolean>((resolve) => inside.once('exit', () => resolve(false))),
    sleep(10_000).then(() => false),
  ]);
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = createConnection(socketPath);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
    }
    const close = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', close).on('close', close);
    upstream.on('error', close).on('close', close);
    client.pipe(upstream).pipe(client);
  });
  const close = async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    inside.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  };
  if (!ready) {
    inside.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`the relay in namespace ${netns} did not start`);
  }
  try {
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, '127.0.0.1', () => resolve()));
  } catch (err) {
    inside.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  return { close };
}

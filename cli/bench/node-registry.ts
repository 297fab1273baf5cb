import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from '../src/lab/free-port.js';

/**
 * A registry both nodes of the two-node bench pull from by one name, `127.0.0.1:PORT`, as the
 * nodes of a cluster share one (the Engine takes a registry on loopback without TLS, and one
 * elsewhere only when each node's configuration lists it). Debian's docker-registry listens on
 * this machine's 127.0.0.1; in the second node's network namespace, a relay listens on its own
 * 127.0.0.1:PORT and carries each connection through a Unix socket (files cross namespaces) to a
 * second relay here, which connects to the registry. Nothing listens on the link between the two.
 */
export interface NodeRegistry {
  address: string;
  /** Ends the relays and the registry, removes the folder. */
  stop: () => Promise<void>;
}

export async function startNodeRegistry(dir: string, netns: string): Promise<NodeRegistry> {
  const port = await freePort();
  const socket = join(dir, 'registry.sock');
  await mkdir(dir, { recursive: true });
  await writeFile(
    join(dir, 'config.yml'),
    `version: 0.1\nstorage:\n  filesystem:\n    rootdirectory: ${dir}/data\nhttp:\n  addr: 127.0.0.1:${port}\n`,
  );
  const children: ChildProcess[] = [];
  const start = (command: string, args: string[]) => {
    const child = spawn(command, args, { stdio: 'ignore' });
    child.on('error', () => {});
    children.push(child);
  };
  const stop = async () => {
    for (const child of children.reverse()) child.kill('SIGTERM');
    await sleep(500);
    await rm(dir, { recursive: true, force: true });
  };
  start('docker-registry', ['serve', join(dir, 'config.yml')]);
  start('socat', [`UNIX-LISTEN:${socket},fork,mode=600`, `TCP:127.0.0.1:${port}`]);
  start('ip', ['netns', 'exec', netns, 'socat', `TCP-LISTEN:${port},bind=127.0.0.1,fork,reuseaddr`, `UNIX-CONNECT:${socket}`]);
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if ((await fetch(`http://127.0.0.1:${port}/v2/`).catch(() => null))?.status === 200) return { address: `127.0.0.1:${port}`, stop };
    await sleep(100);
  }
  await stop();
  throw new Error(`docker-registry did not answer on 127.0.0.1:${port} within 10 s`);
}

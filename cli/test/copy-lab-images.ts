import { type ChildProcess, spawn } from 'node:child_process';
import { pipeline } from 'node:stream/promises';
import type Docker from 'dockerode';
import { buildLabImages } from '../src/lab/docker/lab-images.js';

/**
 * The lab's local images (the base and the four services, built on `from` if they are not there
 * yet), copied to a second Engine at `toSocket` as `docker save | docker load` does: a test's own
 * Engine then starts labs without building them again (debootstrap takes minutes, and a namespace
 * Engine reaches no Debian mirror). Returns the images copied.
 */
export async function copyLabImages(from: Docker, toSocket: string, onProgress: (line: string) => void = () => {}): Promise<string[]> {
  const refs = [...new Set(Object.values(await buildLabImages(from, 'local', onProgress)))];
  const save = spawn('docker', ['save', ...refs], { stdio: ['ignore', 'pipe', 'inherit'] });
  const load = spawn('docker', ['-H', `unix://${toSocket}`, 'load', '-q'], { stdio: ['pipe', 'ignore', 'inherit'] });
  const exited = (child: ChildProcess, what: string) =>
    new Promise<void>((resolve, reject) => {
      child.on('error', (err) => reject(new Error(`${what}: ${err.message}`)));
      child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${what} exited ${code}`))));
    });
  try {
    // pipeline() carries an end or an error of either side to the other (no EPIPE left unheard).
    await Promise.all([
      pipeline(save.stdout, load.stdin),
      exited(save, `docker save ${refs.join(' ')}`),
      exited(load, `docker load into ${toSocket}`),
    ]);
  } catch (err) {
    save.kill();
    load.kill();
    throw err;
  }
  return refs;
}

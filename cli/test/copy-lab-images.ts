import { spawn } from 'node:child_process';
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
  await new Promise<void>((resolve, reject) => {
    const save = spawn('docker', ['save', ...refs], { stdio: ['ignore', 'pipe', 'inherit'] });
    const load = spawn('docker', ['-H', `unix://${toSocket}`, 'load', '-q'], { stdio: ['pipe', 'ignore', 'inherit'] });
    save.stdout.pipe(load.stdin);
    save.on('error', reject);
    load.on('error', reject);
    save.on('exit', (code) => code !== 0 && reject(new Error(`docker save ${refs.join(' ')} exited ${code}`)));
    load.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`docker load into ${toSocket} exited ${code}`))));
  });
  return refs;
}

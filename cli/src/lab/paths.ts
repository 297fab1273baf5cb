import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The w2meet package's root, found by walking up from this module (source or bundle alike). */
export function packageRoot(from: string = dirname(fileURLToPath(import.meta.url))): string {
  let dir = from;
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && JSON.parse(readFileSync(manifest, 'utf8')).name === 'w2meet') return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`cannot find the w2meet package above ${from}`);
    dir = parent;
  }
}

/** Where labs keep their state: W2MEET_STATE_DIR, else `.w2meet/` in the package root. */
export function stateRoot(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env.W2MEET_STATE_DIR ?? join(packageRoot(), '.w2meet'));
}

export function labDir(lab: string, env: NodeJS.ProcessEnv = process.env): string {
  return join(stateRoot(env), lab);
}

/** The built service bundles (`npm run build`). */
export function serviceBundle(service: string): string {
  return join(packageRoot(), 'dist', 'services', `${service}.cjs`);
}

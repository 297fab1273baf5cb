import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { UsageError } from '../errors.js';
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

const LAB_NAME = /^[a-z0-9][a-z0-9-]{0,30}$/;

/**
 * A lab name becomes a folder, Docker names and labels: `..`, `/` or an empty name would point
 * outside the lab (`down -v` once removed the state folder's parent that way), so every path and
 * name is built from a checked one, wherever the name came from (--lab, W2MEET_LAB, a test).
 */
export function checkLabName(name: string, from = 'lab name'): string {
  if (!LAB_NAME.test(name)) {
    throw new UsageError(
      `${from} "${name}" is not a lab name`,
      'use 1-31 lower-case letters, digits and dashes, starting with a letter or digit',
    );
  }
  return name;
}

export function labDir(lab: string, env: NodeJS.ProcessEnv = process.env): string {
  return join(stateRoot(env), checkLabName(lab));
}

/** The built service bundles (`npm run build`). */
export function serviceBundle(service: string): string {
  return join(packageRoot(), 'dist', 'services', `${service}.cjs`);
}

import { existsSync, lstatSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, rm, rmdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { UsageError } from '../errors.js';
import { labDir } from '../shared/paths.js';

/**
 * A lab's folder under the state root, and what w2meet keeps in it. It is marked as w2meet's own
 * when made, and `down -v` removes only the entries w2meet writes there, only from a folder it
 * recognises, then the folder itself once empty: never a path w2meet did not make, whatever
 * W2MEET_STATE_DIR and the lab name point at.
 */
const MARKER = '.w2meet-lab';

/** Everything a runtime may write in a lab folder; nothing else is ever removed. */
export const LAB_ENTRIES = {
  /** The process runtime: its state, credentials, data and logs. */
  process: ['state.json', 'secrets.json', 'postgres', 'redis', 'rabbitmq', 'nginx', 'logs'],
  /** The Docker runtime: its record and its request logs (the data itself lives in Docker volumes). */
  docker: ['docker.json', 'docker-logs'],
} as const;

/**
 * Makes the lab's folder and marks it as w2meet's. Others may pass through it (0711) but not list
 * it: Postgres runs as its own user and must reach its data inside; the credentials file is 0600.
 */
export async function ensureLabDir(lab: string, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const dir = labDir(lab, env);
  await mkdir(dirname(dir), { recursive: true });
  try {
    // Not recursive: the lab's own folder is made here, or it is one w2meet made before.
    await mkdir(dir, { mode: 0o711 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    refuseForeignFolder(dir);
  }
  if (!existsSync(join(dir, MARKER)))
    await writeFile(join(dir, MARKER), `${JSON.stringify({ lab, createdAt: new Date().toISOString() })}\n`);
  return dir;
}

/**
 * An existing folder becomes a lab's only when w2meet made it: `W2MEET_STATE_DIR=/var --lab lib`
 * must not adopt /var/lib (and its redis/, rabbitmq/ and nginx/, which `down -v` would then
 * remove). A link, a folder of another user, or one with anything in it but no mark is refused.
 */
function refuseForeignFolder(dir: string): void {
  const info = lstatSync(dir);
  const why = info.isSymbolicLink()
    ? 'is a symbolic link'
    : !info.isDirectory()
      ? 'is not a folder'
      : process.getuid && info.uid !== process.getuid()
        ? `belongs to another user (uid ${info.uid})`
        : !isLabDir(dir) && readdirSync(dir).length > 0
          ? 'holds files w2meet did not make'
          : null;
  if (why) {
    throw new UsageError(
      `${dir} ${why}, so it cannot be a lab's folder`,
      "choose another --lab, or point W2MEET_STATE_DIR at a folder of w2meet's own",
    );
  }
}

/** A folder w2meet made: marked, or (from before the mark) holding a lab's credentials file. */
export function isLabDir(dir: string): boolean {
  if (existsSync(join(dir, MARKER))) return true;
  try {
    const secrets = JSON.parse(readFileSync(join(dir, 'secrets.json'), 'utf8')) as Record<string, unknown>;
    return typeof secrets.postgresPassword === 'string' && typeof secrets.rabbitPassword === 'string';
  } catch {
    return false;
  }
}

/**
 * Removes the given entries of a lab folder w2meet recognises, then the folder if nothing else is
 * left in it. Returns whether the folder was recognised.
 */
export async function removeLabEntries(lab: string, entries: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<boolean> {
  const dir = labDir(lab, env);
  if (!existsSync(dir) || !isLabDir(dir)) return false;
  for (const entry of entries) await rm(join(dir, entry), { recursive: true, force: true });
  const otherRuntime = [...LAB_ENTRIES.process, ...LAB_ENTRIES.docker].some((e) => existsSync(join(dir, e)));
  if (!otherRuntime) {
    await rm(join(dir, MARKER), { force: true });
    // Anything left that w2meet did not write stays, and so does the folder.
    await rmdir(dir).catch(() => {});
  }
  return true;
}

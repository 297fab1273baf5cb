import { chown, chmod, mkdir } from 'node:fs/promises';
import { existsSync, lstatSync } from 'node:fs';
import { join } from 'node:path';
import { capLogFile } from '../cap-log-file.js';
import { isRealFolder } from '../no-follow.js';
import { LOG_CAP_MB } from '../components/service.js';
import { ensureLabDir } from '../lab-folder.js';
import { labDir } from '../../shared/paths.js';

/** Where a container writes its request log: the lab's host folder is mounted here. */
export const CONTAINER_LOG_DIR = '/var/log/w2meet';
/** The user the services run as in their image (services/Dockerfile). */
const SERVICE_UID = 10001;
/** The lab folder's entry that holds a Docker lab's request logs. */
export const REQUEST_LOG_ENTRY = 'docker-logs';

/**
 * Where a Docker lab's services and gateway write their request logs on this machine, or null
 * where they cannot or should not: an Engine elsewhere (DOCKER_HOST over TCP or SSH) mounts its own machine's
 * folders, not this one's, and only root can give the folder to the services' user. There they
 * log to stdout, through the Engine, as before.
 */
export function requestLogDir(lab: string, env: NodeJS.ProcessEnv): string | null {
  // W2MEET_REQUEST_LOGS=engine keeps every line on stdout, through the Engine (to compare, or to see all in `docker logs`).
  if (env.W2MEET_REQUEST_LOGS === 'engine') return null;
  const host = env.DOCKER_HOST;
  const local = !host || host.startsWith('unix://');
  if (!local || process.getuid?.() !== 0) return null;
  return join(labDir(lab, env), REQUEST_LOG_ENTRY);
}

/** Makes the folder in the lab's own (marked) folder, writable by the services' user and readable by no one else but root. */
export async function ensureRequestLogDir(lab: string, env: NodeJS.ProcessEnv): Promise<void> {
  const dir = join(await ensureLabDir(lab, env), REQUEST_LOG_ENTRY);
  await mkdir(dir, { recursive: true });
  await chown(dir, SERVICE_UID, SERVICE_UID);
  await chmod(dir, 0o750);
}

/** Whether a path is a regular file, not followed if it is a link: the folder is writable by the services' user. */
function regularFile(path: string): boolean {
  try {
    return lstatSync(path).isFile();
  } catch {
    return false;
  }
}

/**
 * An instance's request log files, the older one (FILE.1) first; none where it has not written
 * one. A link in their place is never read: root reads what a container's user could have put there.
 */
export function requestLogFiles(dir: string | null, instanceId: string): string[] {
  if (!dir) return [];
  const file = join(dir, `${instanceId}.log`);
  const both = [`${file}.1`, file];
  if (both.some((f) => existsSync(f) && !regularFile(f))) return [];
  return both.some(regularFile) ? both : [];
}

/** Cuts the gateway's access log at the services' cap: nginx appends to it without one. */
export async function capGatewayAccessLog(dir: string): Promise<void> {
  if (isRealFolder(dir)) await capLogFile(join(dir, 'gateway.log'), LOG_CAP_MB * 1024 * 1024);
}

import { existsSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { LabStateError } from '../../errors.js';
import { ensureLabDir } from '../lab-folder.js';
import { labDir } from '../../shared/paths.js';
import type { Timeline } from '../runtime.js';
import type { ImageMode } from './lab-images.js';

/** What the Engine does not keep of a Docker lab: when it was made, from which images, its start-up timeline. */
export interface LabRecord {
  createdAt: string;
  images: ImageMode;
  timeline: Record<string, Timeline>;
  /**
   * The host folder its services and gateway write their request logs to, fixed when the lab is
   * made: whoever reads the lab later (another user, another DOCKER_HOST setting) reads it there.
   */
  requestLogs?: string;
}

const recordPath = (lab: string, env: NodeJS.ProcessEnv) => join(labDir(lab, env), 'docker.json');

export async function readRecord(lab: string, env: NodeJS.ProcessEnv): Promise<LabRecord | null> {
  const path = recordPath(lab, env);
  if (!existsSync(path)) return null;
  try {
    return JSON.parse(await readFile(path, 'utf8')) as LabRecord;
  } catch (err) {
    throw new LabStateError(`${path} is unreadable (${(err as Error).message})`, 'remove it: only the start-up timeline is lost');
  }
}

export async function writeRecord(lab: string, record: LabRecord, env: NodeJS.ProcessEnv): Promise<void> {
  await ensureLabDir(lab, env);
  await writeFile(recordPath(lab, env), `${JSON.stringify(record, null, 2)}\n`);
}

export async function removeRecord(lab: string, env: NodeJS.ProcessEnv): Promise<void> {
  await rm(recordPath(lab, env), { force: true });
}

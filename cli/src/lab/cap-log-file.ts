import type { FileHandle } from 'node:fs/promises';
import { createFresh, openRegular } from './no-follow.js';

const COPY_CHUNK = 1024 * 1024;

/**
 * Cuts a log another program appends to once it is over `maxBytes`: copied to FILE.1 (replacing
 * the one before), then emptied in place, so the writer's open file (O_APPEND, as nginx opens its
 * logs) goes on at the new end. Returns whether it cut. Lines written between the copy and the cut
 * are lost: a few at most, on a file of that size.
 *
 * The folder may be a container user's (a Docker lab's request logs): the log is opened once
 * without following a link and cut through that descriptor, FILE.1 is made anew (never written
 * through what was there), and the copy goes chunk by chunk, whatever size the file claims.
 */
export async function capLogFile(path: string, maxBytes: number): Promise<boolean> {
  let log: FileHandle | null;
  try {
    log = await openRegular(path, true);
  } catch {
    return false; // a link or a device in its place: left alone, never followed
  }
  if (!log) return false;
  try {
    const size = (await log.stat()).size;
    if (size <= maxBytes) return false;
    const older = await createFresh(`${path}.1`, 0o640);
    try {
      const chunk = Buffer.alloc(COPY_CHUNK);
      for (let at = 0; at < size; ) {
        const { bytesRead } = await log.read(chunk, 0, Math.min(COPY_CHUNK, size - at), at);
        if (bytesRead === 0) break;
        await older.write(chunk, 0, bytesRead);
        at += bytesRead;
      }
    } finally {
      await older.close();
    }
    await log.truncate(0);
    return true;
  } catch {
    return false;
  } finally {
    await log.close();
  }
}

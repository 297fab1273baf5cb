import { constants, lstatSync } from 'node:fs';
import { type FileHandle, open, unlink } from 'node:fs/promises';
import { UnsafePathError } from '../errors.js';

/**
 * File operations for root inside a folder another user owns (a Docker lab's request logs, the
 * process runtime's Postgres folder): a path is opened once, never through a link (O_NOFOLLOW),
 * never blocking on a FIFO (O_NONBLOCK), and everything after works on that descriptor.
 */
const { O_RDONLY, O_RDWR, O_WRONLY, O_CREAT, O_EXCL, O_NOFOLLOW, O_NONBLOCK, O_DIRECTORY } = constants;

/** What is at a path that could not be opened as wanted, for the error (O_NOFOLLOW with O_DIRECTORY says ENOTDIR for a link). */
function describe(path: string, err: NodeJS.ErrnoException): string {
  try {
    const stat = lstatSync(path);
    if (stat.isSymbolicLink()) return 'a symbolic link';
    if (err.code === 'ENOTDIR') return 'not a folder';
  } catch {
    /* gone meanwhile: the error's code says enough */
  }
  return `not usable (${err.code ?? err.message})`;
}

/** Opens a regular file without following a link; null where nothing is there. Throws on a link, FIFO, device or hard-linked file. */
export async function openRegular(path: string, writable = false): Promise<FileHandle | null> {
  let handle: FileHandle;
  try {
    handle = await open(path, (writable ? O_RDWR : O_RDONLY) | O_NOFOLLOW | O_NONBLOCK);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new UnsafePathError(path, describe(path, err as NodeJS.ErrnoException));
  }
  const stat = await handle.stat();
  // A second name for the same file (a hard link) could be one of root's files.
  if (!stat.isFile() || (writable && stat.nlink > 1)) {
    await handle.close();
    throw new UnsafePathError(path, stat.isFile() ? 'a file with another name (a hard link)' : 'not a regular file');
  }
  return handle;
}

/**
 * Creates a new file root writes into: whatever was at the path is removed first (unlink never
 * follows a link), and the open fails if anything was put back in between (O_EXCL).
 */
export async function createFresh(path: string, mode: number): Promise<FileHandle> {
  await unlink(path).catch((err: NodeJS.ErrnoException) => {
    if (err.code !== 'ENOENT') throw new UnsafePathError(path, describe(path, err));
  });
  try {
    return await open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, mode);
  } catch (err) {
    throw new UnsafePathError(path, `put back while w2meet made it (${(err as NodeJS.ErrnoException).code})`);
  }
}

/** Gives a folder to a user through a descriptor: a link in its place is refused, never followed. */
export async function chownFolder(path: string, uid: number, gid: number): Promise<void> {
  let handle: FileHandle;
  try {
    handle = await open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
  } catch (err) {
    throw new UnsafePathError(path, describe(path, err as NodeJS.ErrnoException));
  }
  try {
    await handle.chown(uid, gid);
  } finally {
    await handle.close();
  }
}

/** Whether a path is a folder itself (not a link to one). */
export function isRealFolder(path: string): boolean {
  try {
    return lstatSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** At most this much of a log is read at once: a sparse or huge file must not take the memory. */
export const MAX_LOG_READ = 64 * 1024 * 1024;

/**
 * Reads a regular file from `offset` on, through one descriptor, never more than `maxBytes` (its
 * last ones, starting at a line): empty where there is no such file or it is not a regular one.
 */
export async function readRegularFrom(path: string, offset: number, maxBytes = MAX_LOG_READ): Promise<{ text: string; size: number }> {
  let handle: FileHandle | null;
  try {
    handle = await openRegular(path);
  } catch {
    return { text: '', size: 0 };
  }
  if (!handle) return { text: '', size: 0 };
  try {
    const size = (await handle.stat()).size;
    if (size <= offset) return { text: '', size };
    const from = Math.max(offset, size - maxBytes);
    const buffer = Buffer.alloc(size - from);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, from);
    let text = buffer.subarray(0, bytesRead).toString('utf8');
    if (from > offset) text = text.slice(text.indexOf('\n') + 1);
    return { text, size: from + bytesRead };
  } finally {
    await handle.close();
  }
}

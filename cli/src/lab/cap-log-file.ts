import { copyFileSync, statSync, truncateSync } from 'node:fs';

/**
 * Cuts a log another program appends to once it is over `maxBytes`: copied to FILE.1 (replacing
 * the one before), then emptied in place, so the writer's open file (O_APPEND, as nginx opens its
 * logs) goes on at the new end. Returns whether it cut. Lines written between the copy and the cut
 * are lost: a few at most, on a file of that size.
 */
export function capLogFile(path: string, maxBytes: number): boolean {
  try {
    if (statSync(path).size <= maxBytes) return false;
    copyFileSync(path, `${path}.1`);
    truncateSync(path, 0);
    return true;
  } catch {
    return false;
  }
}

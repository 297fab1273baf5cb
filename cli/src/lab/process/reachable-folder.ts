import { statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

export interface Account {
  uid: number;
  gid: number;
}

/** Whether the account may enter a folder (search permission), from its mode and owner. */
function canEnter(path: string, account: Account): boolean {
  const s = statSync(path);
  if (account.uid === 0) return true;
  if (s.uid === account.uid) return (s.mode & 0o100) !== 0;
  if (s.gid === account.gid) return (s.mode & 0o010) !== 0;
  return (s.mode & 0o001) !== 0;
}

/**
 * The first folder on the way to `dir` that the account cannot enter, or null. Postgres runs as
 * its own user when w2meet runs as root, and needs to reach its data folder through every parent
 * (a state folder under a `mktemp -d` folder, mode 700, is the usual case). Only folders that
 * exist are checked: the rest are made by w2meet.
 */
export function firstBlockedFolder(dir: string, account: Account): string | null {
  const chain: string[] = [];
  for (let p = resolve(dir); ; p = dirname(p)) {
    chain.unshift(p);
    if (dirname(p) === p) break;
  }
  for (const folder of chain) {
    try {
      if (!canEnter(folder, account)) return folder;
    } catch {
      return null; // does not exist yet: w2meet makes it, readable
    }
  }
  return null;
}

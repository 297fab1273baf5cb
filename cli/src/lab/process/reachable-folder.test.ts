import { chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { firstBlockedFolder } from './reachable-folder.js';

const made: string[] = [];
afterEach(() => {
  for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
});
// An account that owns nothing here, as the postgres user owns nothing of a checkout.
const stranger = { uid: 4_000_123, gid: 4_000_123 };

describe('a state folder Postgres must reach', () => {
  it('names the first parent the account cannot enter', () => {
    const top = mkdtempSync(join(tmpdir(), 'w2meet-reach-'));
    made.push(top);
    mkdirSync(join(top, 'state'));
    chmodSync(top, 0o700);
    expect(firstBlockedFolder(join(top, 'state', 'lab', 'postgres'), stranger)).toBe(top);
  });

  it('passes folders others may enter, and ones not made yet', () => {
    const top = mkdtempSync(join(tmpdir(), 'w2meet-reach-'));
    made.push(top);
    chmodSync(top, 0o711);
    expect(firstBlockedFolder(join(top, 'state', 'lab'), stranger)).toBeNull();
  });
});

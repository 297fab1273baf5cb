import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveRunDir } from './read-results.js';

describe('resolveRunDir', () => {
  const reports = mkdtempSync(join(tmpdir(), 'w2meet-runs-'));
  mkdirSync(join(reports, '20261129-061500-abcd'));
  afterAll(() => rmSync(reports, { recursive: true, force: true }));

  it('takes the run id that `scenario run --reports DIR` printed, whatever the working folder', async () => {
    expect(await resolveRunDir('20261129-061500-abcd', reports)).toBe(join(reports, '20261129-061500-abcd'));
  });

  it('takes a folder or its results.json as given', async () => {
    expect(await resolveRunDir(join(reports, '20261129-061500-abcd'), '/nowhere')).toBe(join(reports, '20261129-061500-abcd'));
  });

  it('names the reports folder it looked in when neither matches', async () => {
    await expect(resolveRunDir('no-such-run', reports)).rejects.toThrow(`no-such-run is neither a run folder nor a run id in ${reports}`);
  });
});

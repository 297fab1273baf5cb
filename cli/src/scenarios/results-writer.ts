import { mkdir, readdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunResults } from './run-results.js';

/** `20261125-203000-7f3a`: sorts by time, so the latest run is the last name. */
export function newRunId(now = new Date(), random = Math.random): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${stamp}-${Math.floor(random() * 0x10000)
    .toString(16)
    .padStart(4, '0')}`;
}

/** Writes `<reportsDir>/<run-id>/results.json` whole or not at all (a temporary file, then a rename). */
export async function writeResults(reportsDir: string, results: RunResults): Promise<string> {
  const dir = join(reportsDir, results.runId);
  await mkdir(dir, { recursive: true });
  const path = join(dir, 'results.json');
  await writeFile(`${path}.tmp`, `${JSON.stringify(results, null, 1)}\n`);
  await rename(`${path}.tmp`, path);
  return path;
}

/** The newest run folder under the reports folder, or null when there is none. */
export async function latestRunDir(reportsDir: string): Promise<string | null> {
  const names = await readdir(reportsDir).catch(() => [] as string[]);
  const runs = names.filter((n) => /^\d{8}-\d{6}-[0-9a-f]{4}$/.test(n)).sort();
  return runs.length ? join(reportsDir, runs[runs.length - 1]!) : null;
}

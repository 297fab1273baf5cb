import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunResults } from '../scenarios/run-results.js';

/** A results file from a real run of the whole suite on the process runtime (`w2meet grade`). */
export function processRunFixture(): RunResults {
  return JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures', 'process-run.results.json'), 'utf8')) as RunResults;
}

/** Whether a program the report tests drive (xmllint, chromium) is installed; they skip, saying so, if not. */
export function commandInstalled(command: string): boolean {
  try {
    execFileSync(command, ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

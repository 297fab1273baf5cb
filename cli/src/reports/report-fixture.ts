import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunResults } from '../scenarios/run-results.js';

/** A results file from a real run of the whole suite on the process runtime (`w2meet grade`). */
export function processRunFixture(): RunResults {
  return JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures', 'process-run.results.json'), 'utf8')) as RunResults;
}

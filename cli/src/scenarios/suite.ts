import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { basename, join, relative } from 'node:path';
import { UsageError } from '../errors.js';
import { packageRoot } from '../shared/paths.js';
import { loadScenarioFile } from './load-scenario.js';
import type { Scenario } from './scenario-types.js';

/** The suite's order: quick and harmless first, the queue burst (the longest) last. */
const ORDER = ['smoke', 'cache-aside', 'error-paths', 'load-balancing', 'tracing', 'queue-burst'];

export function scenariosDir(): string {
  return join(packageRoot(), 'scenarios');
}

export interface LoadedScenario {
  scenario: Scenario;
  /** As shown to people: relative to the package when it lives there. */
  file: string;
}

async function load(path: string): Promise<LoadedScenario> {
  const shown = relative(packageRoot(), path).startsWith('..') ? path : relative(packageRoot(), path);
  return { scenario: await loadScenarioFile(path, shown), file: shown };
}

/** Every scenario of the suite, each file validated; one bad file stops the run before it starts. */
export async function loadSuite(dir = scenariosDir()): Promise<LoadedScenario[]> {
  // claims.yaml lives beside the scenarios but is not one.
  const files = (await readdir(dir))
    .filter((f) => f.endsWith('.yaml') && f !== 'claims.yaml')
    .sort((a, b) => {
      const rank = (f: string) => {
        const i = ORDER.indexOf(basename(f, '.yaml'));
        return i < 0 ? ORDER.length : i;
      };
      return rank(a) - rank(b) || a.localeCompare(b);
    });
  return Promise.all(files.map((f) => load(join(dir, f))));
}

/** Scenarios by name (from the suite) or by path (any file); no argument means the whole suite. */
export async function selectScenarios(names: string[]): Promise<LoadedScenario[]> {
  const suite = await loadSuite();
  if (!names.length) return suite;
  return Promise.all(
    names.map(async (name) => {
      if (name.endsWith('.yaml') || name.endsWith('.yml')) {
        if (!existsSync(name)) throw new UsageError(`no scenario file ${name}`);
        return load(name);
      }
      const found = suite.find((s) => s.scenario.name === name);
      if (!found)
        throw new UsageError(
          `no scenario named "${name}"`,
          `the suite has: ${suite.map((s) => s.scenario.name).join(', ')}; or pass a path to a .yaml file`,
        );
      return found;
    }),
  );
}

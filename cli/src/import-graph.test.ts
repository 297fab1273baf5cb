import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { importCycles, importGraph } from './testing/import-graph.js';

const ROOT = join(fileURLToPath(new URL('.', import.meta.url)), '..', '..');
const graph = importGraph(ROOT, ['cli/src', 'services']);

/**
 * The CLI's folders from the bottom up: a file may import its own folder's files and those of the
 * layers below, never one above. Files at cli/src's top (program.ts, w2meet.ts) sit above all.
 */
const LAYERS = [
  ['errors', 'errors.ts', 'shared', 'version.ts', 'signals.ts'],
  ['lab'],
  ['profiles'],
  ['scenarios'],
  ['reports'],
  ['dashboard', 'commands'],
];

/** The layer of a CLI file, by the first folder under cli/src; Infinity above them all, undefined outside the CLI. */
function layerOf(file: string): number | undefined {
  if (!file.startsWith('cli/src/')) return undefined;
  const first = file.slice('cli/src/'.length).split('/')[0]!;
  const layer = LAYERS.findIndex((names) => names.includes(first));
  return layer === -1 ? Number.POSITIVE_INFINITY : layer;
}

describe('the import graph', () => {
  it('reads the imports it is checking (a broken reader would find nothing wrong)', () => {
    expect(graph.size).toBeGreaterThan(200);
    expect(graph.get('cli/src/lab/spec.ts')).toContain('cli/src/lab/components/catalogue.ts');
    expect(
      importCycles(
        new Map([
          ['a.ts', ['b.ts']],
          ['b.ts', ['a.ts']],
          ['c.ts', ['a.ts']],
        ]),
      ),
    ).toEqual([['a.ts', 'b.ts']]);
  });

  it('reads side-effect, multi-line, re-exporting and dynamic imports', () => {
    const dir = mkdtempSync(join(tmpdir(), 'w2meet-graph-'));
    try {
      mkdirSync(join(dir, 'src'));
      writeFileSync(join(dir, 'src', 'a.ts'), "import './b.js';\nexport * from './c.js';\n");
      writeFileSync(join(dir, 'src', 'b.ts'), "import type {\n  X,\n  Y,\n} from './c.js';\nconst d = () => import('./d.js');\n");
      writeFileSync(join(dir, 'src', 'c.ts'), '');
      writeFileSync(join(dir, 'src', 'd.ts'), '');
      const read = importGraph(dir, ['src']);
      expect(read.get('src/a.ts')?.sort()).toEqual(['src/b.ts', 'src/c.ts']);
      expect(read.get('src/b.ts')?.sort()).toEqual(['src/c.ts', 'src/d.ts']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('has no cycle anywhere in the CLI or the services', () => {
    expect(importCycles(graph)).toEqual([]);
  });

  it('never imports up a layer', () => {
    const upward = [...graph].flatMap(([from, targets]) =>
      targets.filter((to) => (layerOf(to) ?? -1) > (layerOf(from) ?? Number.POSITIVE_INFINITY)).map((to) => `${from} -> ${to}`),
    );
    expect(upward).toEqual([]);
  });

  it('keeps the services apart from the CLI: no service imports a file of it', () => {
    const crossing = [...graph].filter(([from]) => from.startsWith('services/'));
    expect(crossing.flatMap(([from, targets]) => targets.filter((t) => t.startsWith('cli/')).map((t) => `${from} -> ${t}`))).toEqual([]);
  });

  it('keeps the test fakes out of what ships: no file outside testing/ imports one', () => {
    const shipped = [...graph].filter(([from]) => !from.startsWith('cli/src/testing/'));
    expect(
      shipped.flatMap(([from, targets]) => targets.filter((t) => t.startsWith('cli/src/testing/')).map((t) => `${from} -> ${t}`)),
    ).toEqual([]);
  });
});

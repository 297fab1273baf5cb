import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { aptSources, debianMirror } from './apt-mirror.js';

function aptRoot(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'apt-'));
  mkdirSync(join(root, 'sources.list.d'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(root, name), text);
  return root;
}

describe('reading the Debian mirror from the host apt configuration', () => {
  it('reads deb822 .sources files, skipping deb-src and disabled ones', () => {
    const root = aptRoot({
      'sources.list.d/debian.sources': [
        'Types: deb-src\nURIs: http://src.example/debian\nSuites: bookworm\n',
        'Types: deb\nURIs: http://mirror.example/debian\nSuites: bookworm bookworm-updates\nComponents: main\n',
        'Types: deb\nURIs: http://off.example/debian\nSuites: bookworm\nEnabled: no\n',
      ].join('\n'),
    });
    expect(debianMirror('bookworm', aptSources(root))).toBe('http://mirror.example/debian');
    expect(debianMirror('bookworm-updates', aptSources(root))).toBe('http://mirror.example/debian');
  });

  it('reads one-line sources.list entries with options', () => {
    const root = aptRoot({ 'sources.list': '# comment\ndeb [arch=amd64] http://one.example/debian bookworm main\n' });
    expect(debianMirror('bookworm', aptSources(root))).toBe('http://one.example/debian');
  });

  it('finds nothing for a suite the host does not use', () => {
    expect(debianMirror('trixie', aptSources(aptRoot({})))).toBeNull();
  });
});

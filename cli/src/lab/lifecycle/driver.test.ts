import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/** The members of an interface in driver.ts, read from its source: one per line at its top level. */
function membersOf(name: string): string[] {
  const source = readFileSync(new URL('./driver.ts', import.meta.url), 'utf8');
  const body = source.slice(source.indexOf(`export interface ${name}<`)).split('\n}\n')[0]!;
  return [...body.matchAll(/^ {2}(?:readonly )?(\w+)\??[(:<]/gm)].map((m) => m[1]!);
}

describe('the driver interface', () => {
  it('has a core of at most twelve members, which every runtime implements; the rest are capabilities', () => {
    const core = membersOf('DriverCore');
    expect(core).toContain('signal');
    expect(core.length, core.join(', ')).toBeLessThanOrEqual(12);
    expect(membersOf('DriverCapabilities')).toEqual(['broker', 'cluster']);
  });
});

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ScenarioFileError } from '../scenarios/scenario-error.js';
import { loadClaims } from './load-claims.js';

const dir = mkdtempSync(join(tmpdir(), 'w2meet-claims-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const claim = (test: string) => `claims:
  - id: sample
    kgs: [KG8]
    as_written: "a cache hit takes 2.5 ms"
    measured_as: user-service's own time of hits
    test: ${test}
`;

async function problem(text: string): Promise<ScenarioFileError> {
  const file = join(dir, 'claims.yaml');
  writeFileSync(file, text);
  const err = await loadClaims(file, 'claims.yaml').catch((e: unknown) => e);
  expect(err).toBeInstanceOf(ScenarioFileError);
  return err as ScenarioFileError;
}

const OF = '{ scenario: cache-aside, step: hits, histogram: cache.HIT.server }';

describe('the claims file', () => {
  it('loads the committed claims, every one with an id and a test', async () => {
    const claims = await loadClaims();
    expect(claims.length).toBeGreaterThanOrEqual(10);
    expect(claims.map((c) => c.id)).toContain('error-41-vs-65');
  });

  // Each kind of test is a `oneOf` branch told apart by `kind` (a `const`). A mistake inside one
  // branch makes every other branch fail on `kind` as well; the message must be about the branch
  // the author chose, at the line of the mistake, not "must be equal to constant".
  it('reports a mistake inside the chosen kind of test, not that the other kinds do not match', async () => {
    const e = await problem(claim(`{ kind: bound, of: ${OF}, op: "<=", valu: 2.5 }`));
    expect(e.message).not.toMatch(/constant|needs exactly one/);
    expect(e.problem).toMatch(/^\/claims\/0\/test: (unknown field "valu"|missing "value")$/);
    expect(e.line).toBe(6);
  });

  it('reports a field the chosen kind of test needs and does not have', async () => {
    const e = await problem(claim(`{ kind: relation, a: ${OF}, op: "<", factor: 1 }`));
    expect(e.problem).toBe('/claims/0/test: missing "b"');
  });

  it('reports an operator outside the list with the ones allowed', async () => {
    const e = await problem(claim(`{ kind: bound, of: ${OF}, op: "=<", value: 2.5 }`));
    expect(e.message).not.toMatch(/constant/);
    expect(e.problem).toMatch(/^\/claims\/0\/test\/op: expected one of .*<=/);
  });

  it('reports an unknown kind of test as such', async () => {
    const e = await problem(claim(`{ kind: faster, of: ${OF}, op: "<=", value: 2.5 }`));
    expect(e.problem).toMatch(/^\/claims\/0\/test(\/kind)?: /);
    expect(e.line).toBe(6);
  });
});

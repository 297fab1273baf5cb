import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ScenarioFileError } from '../errors.js';
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
  it("refuses a claim naming a step its scenario does not have, at the claim's line", async () => {
    const e = await problem(
      claim(`{ kind: bound, of: { scenario: cache-aside, step: hitz, histogram: cache.HIT.server }, op: "<=", value: 2.5 }`),
    );
    expect(e.line).toBe(2);
    expect(e.problem).toBe('claim sample names step hitz of scenario cache-aside, which has no such step');
  });

  it('refuses a claim naming a scenario the suite does not have, and a precondition on a missing step', async () => {
    const e = await problem(claim(`{ kind: steps, scenario: caching, steps: [hits] }`));
    expect(e.problem).toMatch(/^claim sample names scenario caching, which is not in the suite \(smoke, cache-aside/);
    const text = claim(`{ kind: bound, of: ${OF}, op: "<=", value: 2.5 }`).replace(
      '    test:',
      '    requires: [{ scenario: cache-aside, step: redis-gone, what: x }]\n    test:',
    );
    expect((await problem(text)).problem).toBe('claim sample names step redis-gone of scenario cache-aside, which has no such step');
  });

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

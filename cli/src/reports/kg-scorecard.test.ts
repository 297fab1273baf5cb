import { describe, expect, it } from 'vitest';
import type { LabDescription } from '../scenarios/run-results.js';
import type { ClaimVerdict } from './claim-verdict.js';
import { scoreGoals } from './kg-scorecard.js';
import { results } from './test-results.js';

const verdict = (id: string, kgs: string[], status: ClaimVerdict['status']): ClaimVerdict =>
  ({ id, kgs, status, outOfRun: false }) as ClaimVerdict;
const goal = (kg: string, r = results([]), v: ClaimVerdict[] = []) => scoreGoals(r, v).find((g) => g.kg === kg)!;

type Instance = NonNullable<LabDescription['instances']>[number];
const instance = (id: string, over: Partial<Instance> = {}): Instance => ({
  id,
  state: 'running',
  health: 'healthy',
  image: `w2meet/${id}:1`,
  address: `172.18.0.2:8000`,
  dependsOn: [],
  startsAfter: [],
  started: 0,
  healthy: 100,
  ...over,
});
const dockerLab = (instances: Instance[]) => {
  const r = results([]);
  r.lab = { ...r.lab, runtime: 'docker', instances };
  return r;
};
const healthyLab = () => [
  instance('postgres', { healthy: 1000 }),
  instance('user-service', { dependsOn: ['postgres'], started: 1000, healthy: 1500 }),
  instance('gateway', { startsAfter: ['user-service'], started: 1001, address: '127.0.0.1:8080' }),
];

describe('the knowledge-goal scorecard', () => {
  it('meets a goal only when its scenarios passed and its claims hold', () => {
    // The scenario `sc` evidences KG8 and passed.
    expect(goal('KG8', results([]), [verdict('hit', ['KG8'], 'holds')]).status).toBe('met');
    expect(goal('KG8', results([]), [verdict('hit', ['KG8'], 'holds'), verdict('helps', ['KG8'], 'fails')])).toMatchObject({
      status: 'not met',
      evidence: ['sc: passed', 'claim hit: holds', 'claim helps: fails'],
    });
    expect(goal('KG8', results([]), [verdict('helps', ['KG8'], 'inconclusive')]).status).toBe('not checked');
    expect(goal('KG8', results([], 'skipped'), [verdict('hit', ['KG8'], 'holds')]).status).toBe('not checked');
  });

  it('is not met by the part of a goal a partial run chose: claims of scenarios left out count as not measured', () => {
    const elsewhere = { ...verdict('no-loss', ['KG8'], 'not-measured'), outOfRun: true };
    expect(goal('KG8', results([]), [verdict('hit', ['KG8'], 'holds'), elsewhere])).toMatchObject({
      status: 'not checked',
      evidence: ['sc: passed', 'claim hit: holds', 'claim no-loss: not measured'],
    });
  });

  it("reads containerisation from the lab itself, not from its runtime's name", () => {
    const named = results([]);
    named.lab = { ...named.lab, runtime: 'docker' };
    expect(goal('KG2', named).status).toBe('not met');
    expect(goal('KG2', dockerLab(healthyLab()))).toMatchObject({
      status: 'met',
      evidence: [expect.stringMatching(/^3 containers from 3 images/), 'every one running and healthy'],
    });
    expect(goal('KG2', dockerLab([...healthyLab(), instance('redis', { image: undefined })])).status).toBe('not met');
    expect(goal('KG2', results([])).status).toBe('not checked');
  });

  it('reads orchestration from the start-up itself: waits met in order, the gateway the one way in', () => {
    expect(goal('KG3', dockerLab(healthyLab())).status).toBe('met');
    const early = healthyLab();
    early[1] = { ...early[1]!, started: 900 };
    expect(goal('KG3', dockerLab(early))).toMatchObject({ status: 'not met' });
    expect(goal('KG3', dockerLab(early)).evidence[0]).toBe('started out of order: user-service before postgres was healthy');
    const published = healthyLab();
    published[1] = { ...published[1]!, address: '127.0.0.1:9000' };
    expect(goal('KG3', dockerLab(published)).evidence[0]).toBe('services reachable past the gateway: user-service');
  });
});

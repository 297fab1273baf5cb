import { describe, expect, it } from 'vitest';
import type { LabStatus } from '../lab/runtime.js';
import { loadProfile } from '../profiles/load-profile.js';
import type { EngineTarget } from './engine-target.js';
import { CONTRACT_SHAPE } from './http-shape.js';
import type { StepResult } from './run-results.js';
import type { Capability, Step } from './scenario-types.js';
import { whyStepSkipped } from './step-skip.js';

async function target(profile: string, capabilities: Capability[], lab = false): Promise<EngineTarget> {
  return {
    gatewayUrl: 'http://127.0.0.1:9',
    profile: await loadProfile(profile),
    shape: CONTRACT_SHAPE,
    capabilities: new Set(capabilities),
    ...(lab ? { lab: { name: 'p', runtime: {} as never } } : {}),
  };
}
const status = (names: string[]) => async () => ({ instances: names.map((name) => ({ name, replica: 1 })) }) as unknown as LabStatus;
const none = async () => null;
const done = (steps: Array<Partial<StepResult> & { name: string }>) => new Map(steps.map((s) => [s.name, s as StepResult]));

describe('whyStepSkipped', () => {
  it('runs what needs only HTTP on any target', async () => {
    const step: Step = { name: 'hits', request: { path: '/users/user-avail/cache-aside?user1email=a' } };
    expect(await whyStepSkipped(step, await target('course', []), done([]), none)).toBeNull();
  });

  it('skips a step whose kind needs what the target lacks, naming it', async () => {
    const t = await target('course', []);
    expect(await whyStepSkipped({ name: 'f', fault: { verb: 'stop', target: 'redis' } }, t, done([]), none)).toMatch(/^needs faults/);
    expect(await whyStepSkipped({ name: 's', sql: { run: 'select 1' } }, t, done([]), none)).toMatch(/^needs the database/);
    expect(await whyStepSkipped({ name: 't', trace: { request: { path: '/health' }, hops: ['gateway'] } }, t, done([]), none)).toMatch(
      /^needs logs/,
    );
  });

  it('skips a route the profile says is absent, and a spread over replicas nobody reports', async () => {
    const t = await target('course', []);
    expect(await whyStepSkipped({ name: 'stats', request: { path: '/worker/stats' } }, t, done([]), none)).toBe(
      'the deployment has no route GET /worker/stats (profile course)',
    );
    const spread: Step = {
      name: 'spread',
      load: { connections: 1, count: 1, instances_of: 'availability-service', request: { path: '/availability/x' } },
    };
    expect(await whyStepSkipped(spread, t, done([]), none)).toMatch(/which replica answered is not observable/);
    expect(await whyStepSkipped(spread, await target('w2meet', []), done([]), none)).toBeNull();
  });

  it('skips a fault on a part the deployment does not have, or a replica it does not run', async () => {
    const t = await target('course', ['faults'], true);
    const on = (target: string): Step => ({ name: 'f', fault: { verb: 'stop', target } });
    expect(await whyStepSkipped(on('postgres'), t, done([]), status(['redis', 'user-service']))).toBe(
      'the deployment has no postgres to act on',
    );
    expect(await whyStepSkipped(on('redis'), t, done([]), status(['redis']))).toBeNull();
    expect(await whyStepSkipped(on('redis#2'), t, done([]), status(['redis']))).toBe('the deployment has no redis#2 to act on');
  });

  it('skips a step whose input came from a failed or skipped one, saying which and why', async () => {
    const t = await target('w2meet', []);
    const step: Step = { name: 'availability', uses: ['update-user'], request: { path: '/availability/x' } };
    expect(
      await whyStepSkipped(step, t, done([{ name: 'update-user', status: 'failed', failures: ['status 500, expected 200'] }]), none),
    ).toBe('its input comes from step update-user, which failed: status 500, expected 200');
    expect(await whyStepSkipped(step, t, done([{ name: 'update-user', status: 'skipped', reason: 'needs faults' }]), none)).toBe(
      'its input comes from step update-user, which was skipped: needs faults',
    );
    expect(await whyStepSkipped(step, t, done([{ name: 'update-user', status: 'passed', failures: [] }]), none)).toBeNull();
    // A chain names its first cause once.
    const chained = {
      name: 'read',
      status: 'skipped',
      reason: 'its input comes from step update-user, which was skipped: needs faults',
    } as const;
    expect(await whyStepSkipped({ ...step, uses: ['read'] }, t, done([chained]), none)).toBe(
      'its input comes from step read, which was skipped: needs faults',
    );
  });
});

import { describe, expect, it } from 'vitest';
import { LabStartError } from '../../errors.js';
import type { DriverInstance, DriverLab, RuntimeDriver } from './driver.js';
import { afterHealthy } from './wait-healthy.js';

const postgres: DriverInstance = {
  id: 'postgres',
  name: 'postgres',
  kind: 'infra',
  replica: 1,
  dependsOn: [],
  startsAfter: [],
  timeline: {},
};
const lab: DriverLab<DriverInstance> = { name: 'demo', createdAt: '', gatewayUrl: '', secrets: null, instances: [postgres] };

/** A driver that gives no address (the host cannot reach the instance), and says whether the instance took its step itself. */
const unreachable = (tookStepItself?: boolean) =>
  ({
    address: async () => null,
    ...(tookStepItself === undefined
      ? {}
      : { cluster: { tookStepItself: () => tookStepItself, healthyElsewhere: async () => false, settle: async () => {} } }),
  }) as unknown as RuntimeDriver;

describe('afterHealthy of an instance the host cannot reach', () => {
  it('has nothing to do when the instance took its step itself (Postgres applied the schema as it started)', async () => {
    let ran = false;
    await afterHealthy(unreachable(true), lab, postgres, { afterHealthy: async () => void (ran = true) });
    expect(ran).toBe(false);
  });

  it('fails, saying so, when it did not: the schema would be missing', async () => {
    for (const driver of [unreachable(false), unreachable()])
      await expect(afterHealthy(driver, lab, postgres, { afterHealthy: async () => {} })).rejects.toThrow(LabStartError);
  });
});

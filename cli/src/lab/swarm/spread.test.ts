import { describe, expect, it } from 'vitest';
import type { DriverInstance } from '../lifecycle/driver.js';
import { spreadPlacement } from './spread.js';
import type { SwarmNode } from './swarm-engine.js';

const node = (id: string, hostname: string, more: Partial<SwarmNode> = {}): SwarmNode => ({
  id,
  hostname,
  role: 'worker',
  state: 'ready',
  availability: 'active',
  address: '',
  ...more,
});

const instance = (name: string, replica: number, kind: DriverInstance['kind'] = 'service') =>
  ({ id: `${name}-${replica}`, name, kind, replica, dependsOn: [], startsAfter: [], timeline: {} }) as unknown as DriverInstance;

describe('spreadPlacement', () => {
  const nodes = [node('w2', 'worker-b'), node('m1', 'manager', { role: 'manager' }), node('w1', 'worker-a')];
  const lab = [
    instance('availability-service', 1),
    instance('availability-service', 2),
    instance('availability-service', 3),
    instance('availability-service', 4),
    instance('user-service', 1),
    instance('postgres', 1, 'infra'),
    instance('gateway', 1, 'gateway'),
  ];

  it("puts replica 1 of every service on the node w2meet talks to and a component's others on the next nodes, wrapping round", () => {
    const placed = spreadPlacement(lab, nodes, 'm1');
    expect(Object.fromEntries(placed)).toEqual({
      'availability-service-1': 'm1',
      'availability-service-2': 'w1',
      'availability-service-3': 'w2',
      'availability-service-4': 'm1',
      'user-service-1': 'm1',
    });
  });

  it('leaves a node that is down or drained out, and pins nothing without a node to pin to', () => {
    const some = [node('m1', 'manager'), node('w1', 'worker-a', { state: 'down' }), node('w2', 'worker-b', { availability: 'drain' })];
    expect(new Set(spreadPlacement(lab, some, 'm1').values())).toEqual(new Set(['m1']));
    expect(spreadPlacement(lab, [], 'm1').size).toBe(0);
  });
});

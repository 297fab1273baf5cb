import { describe, expect, it } from 'vitest';
import { waitsAmong } from '../lab/lifecycle/waits-among.js';
import type { InstanceStatus, LabStatus } from '../lab/runtime.js';
import { criticalPath, dependenciesOf, formatStatus } from './format.js';

const instance = (id: string, name: string, started: number, healthy: number): InstanceStatus => ({
  id,
  name: name as InstanceStatus['name'],
  kind: 'service',
  replica: 1,
  state: 'running',
  health: 'healthy',
  address: '127.0.0.1:1',
  pid: 1,
  startedAt: null,
  timeline: { started, healthy },
  dependsOn: [],
  startsAfter: [],
});

/** Each instance waits for what its component does, among those present, as a runtime reports it. */
const lab = (instances: InstanceStatus[]): LabStatus => ({
  lab: 'demo',
  runtime: 'process',
  gatewayUrl: 'http://127.0.0.1:8080',
  createdAt: '',
  instances: waitsAmong(instances),
});

const status = lab([
  instance('postgres', 'postgres', 0, 500),
  instance('redis', 'redis', 0, 100),
  instance('rabbitmq', 'rabbitmq', 0, 7000),
  instance('user-service', 'user-service', 500, 1500),
  instance('availability-service-1', 'availability-service', 1500, 2600),
  instance('availability-service-2', 'availability-service', 1500, 2700),
  instance('suggestion-service-1', 'suggestion-service', 2700, 3800),
  instance('worker-service', 'worker-service', 7000, 7900),
  instance('gateway', 'gateway', 7010, 8000),
]);

describe('the start-up timeline', () => {
  it('names the chain the start-up waited on, from the last healthy instance back', () => {
    expect(criticalPath(status, dependenciesOf(status))).toBe('rabbitmq 7.00s → worker-service started 7.00s → gateway 8.00s');
  });

  it('follows a wait for another instance only to start, naming its start time', () => {
    const chained = lab([
      instance('postgres', 'postgres', 0, 1100),
      instance('redis', 'redis', 0, 100),
      instance('rabbitmq', 'rabbitmq', 0, 900),
      instance('user-service', 'user-service', 1200, 2500),
      instance('availability-service-1', 'availability-service', 10, 1600),
      instance('suggestion-service-1', 'suggestion-service', 20, 1700),
      instance('worker-service', 'worker-service', 910, 2000),
      instance('gateway', 'gateway', 1210, 3100),
    ]);
    expect(criticalPath(chained, dependenciesOf(chained))).toBe('postgres 1.10s → user-service started 1.20s → gateway 3.10s');
  });

  it('shows when each instance started and became healthy', () => {
    expect(formatStatus(status)).toMatch(/^availability-service-2\s+service\s+running\s+healthy\s+127\.0\.0\.1:1\s+1\s+1\.50s\s+2\.70s$/m);
  });
});

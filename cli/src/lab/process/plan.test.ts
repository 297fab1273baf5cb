import { describe, expect, it } from 'vitest';
import { PrerequisiteError } from '../../errors.js';
import { buildLabSpec } from '../spec.js';
import { planProcesses, portKeys } from './plan.js';

const secrets = {
  postgresUser: 'w2meet',
  postgresPassword: 'pw',
  postgresDb: 'w2meet',
  rabbitUser: 'w2meet',
  redisPassword: 'r3dis',
  rabbitPassword: 'rpw',
};
const binaries = {
  postgres: '/pg/postgres',
  initdb: '/pg/initdb',
  'redis-server': '/bin/redis-server',
  'rabbitmq-server': '/rmq/rabbitmq-server',
  epmd: '/bin/epmd',
  nginx: '/bin/nginx',
};

function plan(replicas = {}) {
  const spec = buildLabSpec(secrets, { name: 'demo', replicas });
  const ports = Object.fromEntries(portKeys(spec).map((k, i) => [k, 5000 + i]));
  return planProcesses({ spec, dir: '/state/demo', binaries, ports, baseEnv: { PATH: '/bin', SECRET_TOKEN: 'leak' } });
}

describe('planProcesses', () => {
  it("has one instance per replica with the default replicas; epmd is RabbitMQ's companion, not an instance", () => {
    const ids = plan().map((i) => i.id);
    expect(ids).toEqual([
      'postgres',
      'redis',
      'rabbitmq',
      'user-service',
      'availability-service-1',
      'availability-service-2',
      'suggestion-service-1',
      'suggestion-service-2',
      'worker-service',
      'gateway',
    ]);
  });

  it('wires services to every replica of what they call, on loopback', () => {
    const instances = plan({ 'availability-service': 3 });
    const suggestion = instances.find((i) => i.id === 'suggestion-service-1')!;
    const availabilityPorts = instances.filter((i) => i.name === 'availability-service').map((i) => i.port);
    expect(suggestion.env.AVAILABILITY_SERVICE_BASE).toBe(availabilityPorts.map((p) => `http://127.0.0.1:${p}`).join(','));
    expect(suggestion.env).toMatchObject({ HOST: '127.0.0.1', INSTANCE_ID: 'suggestion-service-1', PORT: String(suggestion.port) });
    // It calls them per request only, so it waits for none of them to start.
    expect(suggestion.dependsOn).toEqual([]);
    expect(suggestion.startsAfter).toEqual([]);
    const gateway = instances.find((i) => i.id === 'gateway')!;
    expect(gateway.startsAfter).toEqual(
      expect.arrayContaining(['availability-service-1', 'availability-service-3', 'suggestion-service-1', 'worker-service']),
    );
  });

  it('gives RabbitMQ its own node name, ports and folders, and the generated credentials', () => {
    const rabbit = plan().find((i) => i.id === 'rabbitmq')!;
    expect(rabbit.env).toMatchObject({ RABBITMQ_NODENAME: 'w2meet-demo@localhost', RABBITMQ_MNESIA_BASE: '/state/demo/rabbitmq/mnesia' });
    expect(rabbit.dependsOn).toEqual([]);
    expect(rabbit.companions.map((c) => c.id)).toEqual(['epmd']);
    expect(rabbit.env.ERL_EPMD_PORT).toBe(String(rabbit.companions[0]!.port));
    const worker = plan().find((i) => i.id === 'worker-service')!;
    expect(worker.env.RABBITMQ_URL).toBe(`amqp://w2meet:rpw@127.0.0.1:${rabbit.port}`);
  });

  it('stops Postgres with SIGINT (fast shutdown) and passes no stray environment', () => {
    const instances = plan();
    expect(instances.find((i) => i.id === 'postgres')!.stopSignal).toBe('SIGINT');
    expect(instances.every((i) => !('SECRET_TOKEN' in i.env))).toBe(true);
  });

  it('says which program is missing', () => {
    const spec = buildLabSpec(secrets);
    const ports = Object.fromEntries(portKeys(spec).map((k, i) => [k, 5000 + i]));
    expect(() => planProcesses({ spec, dir: '/d', binaries: { ...binaries, nginx: null }, ports, baseEnv: {} })).toThrow(PrerequisiteError);
  });
});

import { describe, expect, it } from 'vitest';
import { planContainers } from '../docker/container-plan.js';
import { buildLabSpec } from '../spec.js';
import { planEdge } from './edge.js';
import { INITDB_SCHEMA, planService, SECRETS_DIR, SWARM_GATEWAY_START, secretName, splitSecrets } from './service-plan.js';

const secrets = {
  postgresUser: 'w2meet',
  postgresPassword: 'pg-secret-0123456789',
  postgresDb: 'w2meet',
  rabbitUser: 'w2meet',
  rabbitPassword: 'rabbit-secret-0123456789',
  redisPassword: 'redis-secret-0123456789',
};
const images = {
  postgres: 'img/base',
  redis: 'img/base',
  rabbitmq: 'img/base',
  gateway: 'img/base',
  'user-service': 'img/user',
  'availability-service': 'img/avail',
  'suggestion-service': 'img/sugg',
  'worker-service': 'img/worker',
};

function containers() {
  const spec = buildLabSpec(secrets, { name: 'demo', gatewayPort: 18080, replicas: { 'availability-service': 2 } });
  const flavours = { postgres: 'local', redis: 'local', rabbitmq: 'local', gateway: 'local' } as const;
  return planContainers({ spec, images, flavours });
}

function services() {
  return containers().map((i) => planService('demo', 'w2meet-demo', i, secrets, 'node-1'));
}

const containerSpec = (s: ReturnType<typeof services>[number]) =>
  (s.service.TaskTemplate as { ContainerSpec: { Env: string[]; Secrets?: Array<{ SecretName: string }>; HealthCheck: { Test: string[] } } })
    .ContainerSpec;

describe('planService', () => {
  it('makes each instance a service of no task yet, named after it, labelled with its lab, reached by its own names, publishing nothing', () => {
    const all = services();
    expect(all.map((s) => s.service.Name)).toContain('w2meet-demo-availability-service-2');
    for (const s of all) {
      expect(s.service.Mode).toEqual({ Replicated: { Replicas: 0 } });
      expect(s.service.Labels).toMatchObject({ 'dev.w2meet.lab': 'demo', 'dev.w2meet.instance': s.id });
      expect(s.service.EndpointSpec).toEqual({ Mode: 'dnsrr' });
      const networks = (s.service.TaskTemplate as { Networks: Array<{ Target: string; Aliases: string[] }> }).Networks;
      expect(networks).toEqual([{ Target: 'w2meet-demo', Aliases: expect.arrayContaining([s.id]) }]);
    }
  });

  it("bounds a lookup of a name the Engine no longer knows, and gives each service's lookups threads enough to outlast a few", () => {
    // A replica killed on a one-node swarm: its callers' lookups of its name hung, took all four
    // of Node's threads, and a call to the live replica timed out too (503 where 200 was due).
    for (const s of services()) {
      const spec = containerSpec(s) as ReturnType<typeof containerSpec> & { DNSConfig?: { Options?: string[] } };
      expect(spec.DNSConfig?.Options, s.id).toEqual(['timeout:1', 'attempts:1']);
      if (s.kind === 'service') expect(spec.Env, s.id).toContain('UV_THREADPOOL_SIZE=16');
    }
  });

  it('passes no password in any environment: each value holding one is a secret file named by NAME_FILE', () => {
    const all = services();
    const passwords = [secrets.postgresPassword, secrets.rabbitPassword, secrets.redisPassword];
    for (const s of all) for (const e of containerSpec(s).Env) for (const p of passwords) expect(e, s.id).not.toContain(p);
    const user = all.find((s) => s.id === 'user-service')!;
    expect(containerSpec(user).Env).toContain(`PG_DSN_FILE=${SECRETS_DIR}/w2meet-demo-user-service-pg-dsn`);
    expect(user.secrets.find((x) => x.name === 'w2meet-demo-user-service-pg-dsn')!.data).toContain(secrets.postgresPassword);
    expect(containerSpec(user).Secrets!.map((r) => r.SecretName)).toEqual(user.secrets.map((x) => x.name));
    const postgres = all.find((s) => s.id === 'postgres')!;
    expect(containerSpec(postgres).Env).toContain(`POSTGRES_PASSWORD_FILE=${SECRETS_DIR}/w2meet-demo-postgres-postgres-password`);
    // The user name is no secret: it stays where the start script reads it.
    expect(containerSpec(postgres).Env).toContain('POSTGRES_USER=w2meet');
  });

  it('checks a service for being alive (any answer), so the Engine does not restart it while a dependency is down', () => {
    const user = services().find((s) => s.id === 'user-service')!;
    const check = containerSpec(user).HealthCheck.Test.join(' ');
    expect(check).toContain('GET /health');
    expect(check).not.toContain("' 200 '");
    expect(check).toContain('[1-5][0-9][0-9]');
  });

  it('runs the gateway with the loop that reloads nginx when a name of its upstreams resolves anew', () => {
    const gateway = services().find((s) => s.id === 'gateway')!;
    const spec = containerSpec(gateway) as unknown as { Command: string[] };
    expect(spec.Command).toEqual(['sh', '-c', SWARM_GATEWAY_START]);
    expect(SWARM_GATEWAY_START).toContain('nginx -c /tmp/gateway.conf -s reload');
    expect(SWARM_GATEWAY_START).toContain("sed -i '/^http {/a\\    keepalive_timeout 0;' /tmp/gateway.conf");
  });

  it('keeps data services on the node w2meet talks to, where their volume is', () => {
    const placement = (id: string) =>
      (services().find((s) => s.id === id)!.service.TaskTemplate as { Placement?: { Constraints: string[] } }).Placement;
    expect(placement('postgres')).toEqual({ Constraints: ['node.id==node-1'] });
    expect(placement('user-service')).toBeUndefined();
  });

  it('pins an instance to the node --spread chose for it, and a data service to its volume whatever was chosen', () => {
    const pinned = (id: string) => {
      const planned = planService('demo', 'w2meet-demo', containers().find((c) => c.id === id)!, secrets, 'node-1', 'node-2');
      return (planned.service.TaskTemplate as { Placement?: unknown }).Placement;
    };
    expect(pinned('user-service')).toEqual({ Constraints: ['node.id==node-2'] });
    expect(pinned('postgres')).toEqual({ Constraints: ['node.id==node-1'] });
  });

  it('with a schema config, has Postgres alone make the database and mount the schema where its start applies it', () => {
    const schema = { configId: 'cfg1', configName: 'w2meet-demo-schema' };
    const planned = containers().map((i) => planService('demo', 'w2meet-demo', i, secrets, 'node-1', undefined, schema));
    const spec = (id: string) =>
      (planned.find((s) => s.id === id)!.service.TaskTemplate as { ContainerSpec: { Env: string[]; Configs?: unknown[] } }).ContainerSpec;
    expect(spec('postgres').Env).toContain('POSTGRES_DB=w2meet');
    expect(spec('postgres').Configs).toEqual([
      { ConfigID: 'cfg1', ConfigName: 'w2meet-demo-schema', File: { Name: INITDB_SCHEMA, UID: '0', GID: '0', Mode: 0o444 } },
    ]);
    expect(spec('user-service').Configs).toBeUndefined();
    // Postgres's own image is given one database name, not two.
    const official = containers().find((c) => c.id === 'postgres')!;
    const withDefault = { ...official, options: { ...official.options, Env: [...(official.options.Env ?? []), 'POSTGRES_DB=postgres'] } };
    const env = (
      planService('demo', 'w2meet-demo', withDefault, secrets, 'node-1', undefined, schema).service.TaskTemplate as {
        ContainerSpec: { Env: string[] };
      }
    ).ContainerSpec.Env;
    expect(env.filter((e) => e.startsWith('POSTGRES_DB='))).toEqual(['POSTGRES_DB=w2meet']);
    // Without one (the Engine is on this machine, w2meet applies the schema) nothing of it.
    expect(containerSpec(services().find((s) => s.id === 'postgres')!).Env.some((e) => e.startsWith('POSTGRES_DB='))).toBe(false);
  });
});

describe('secretName', () => {
  it('stays within the Engine’s 64 characters for the longest lab name, and apart for each variable', () => {
    const lab = 'a'.repeat(31);
    const a = secretName(lab, 'worker-service-2', 'RABBITMQ_URL');
    const b = secretName(lab, 'worker-service-2', 'RABBITMQ_URL_OTHER');
    expect(a.length).toBeLessThanOrEqual(64);
    expect(a).not.toBe(b);
    expect(secretName('demo', 'x', 'PG_DSN')).toBe('w2meet-demo-x-pg-dsn');
  });
});

describe('splitSecrets', () => {
  it('leaves values without a password as they are', () => {
    expect(splitSecrets('demo', 'x', ['A=1', 'B=redis://:redis-secret-0123456789@redis:6379'], secrets)).toMatchObject({
      env: ['A=1', `B_FILE=${SECRETS_DIR}/w2meet-demo-x-b`],
      secrets: [{ name: 'w2meet-demo-x-b', data: 'redis://:redis-secret-0123456789@redis:6379' }],
    });
  });
});

describe('planEdge', () => {
  it('publishes each route on 127.0.0.1 alone, labelled with the lab', () => {
    const edge = planEdge('demo', 'w2meet-demo', 'img/user', [
      { hostPort: 18080, target: 'gateway:8080' },
      { hostPort: 15432, target: 'postgres:5432' },
    ]);
    expect(edge.HostConfig!.PortBindings).toEqual({
      '18080/tcp': [{ HostIp: '127.0.0.1', HostPort: '18080' }],
      '15432/tcp': [{ HostIp: '127.0.0.1', HostPort: '15432' }],
    });
    expect(edge.Env).toEqual(['ROUTES=18080=gateway:8080,15432=postgres:5432']);
    expect(edge.Labels).toMatchObject({ 'dev.w2meet.lab': 'demo', 'dev.w2meet.component': 'edge' });
  });
});

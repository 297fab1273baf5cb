import { describe, expect, it } from 'vitest';
import { buildLabSpec } from '../spec.js';
import { planContainers } from './container-plan.js';

const secrets = {
  postgresUser: 'w2meet',
  postgresPassword: 'p/w d',
  postgresDb: 'w2meet',
  rabbitUser: 'w2meet',
  rabbitPassword: 'rpw',
  redisPassword: 'r3dis',
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

function plan(flavour: 'local' | 'official', infraPorts?: Record<string, number>) {
  const spec = buildLabSpec(secrets, { name: 'demo', gatewayPort: 18080, serviceEnv: { LOG_LEVEL: 'warn' } });
  const flavours = { postgres: flavour, redis: flavour, rabbitmq: flavour, gateway: flavour };
  return planContainers({ spec, images, flavours, infraPorts });
}

const env = (options: { Env?: string[] }) =>
  Object.fromEntries((options.Env ?? []).map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)]));

describe('planContainers', () => {
  it('publishes the gateway alone, on 127.0.0.1, and labels every container with its lab and instance', () => {
    const containers = plan('local');
    const published = containers.filter((c) => c.options.HostConfig?.PortBindings);
    expect(published.map((c) => c.id)).toEqual(['gateway']);
    expect(published[0]!.options.HostConfig!.PortBindings).toEqual({ '8080/tcp': [{ HostIp: '127.0.0.1', HostPort: '18080' }] });
    for (const c of containers) expect(c.options.Labels).toMatchObject({ 'dev.w2meet.lab': 'demo', 'dev.w2meet.instance': c.id });
  });

  it('reaches the others by instance id at their inner ports, with each secret encoded once in a URL', () => {
    const containers = plan('local');
    const user = env(containers.find((c) => c.id === 'user-service')!.options);
    expect(user.PG_DSN).toBe('postgres://w2meet:p%2Fw%20d@postgres:5432/w2meet');
    expect(user.REDIS_URL).toBe('redis://:r3dis@redis:6379');
    expect(user).toMatchObject({ PORT: '8000', HOST: '0.0.0.0', INSTANCE_ID: 'user-service', LOG_LEVEL: 'warn' });
    const suggestion = env(containers.find((c) => c.id === 'suggestion-service-1')!.options);
    expect(suggestion.AVAILABILITY_SERVICE_BASE).toBe('http://availability-service-1:8000,http://availability-service-2:8000');
  });

  it('runs the local image in every infrastructure role through its own command, and official images through theirs', () => {
    const local = plan('local').find((c) => c.id === 'postgres')!;
    expect(local.options.Entrypoint).toEqual([]);
    expect(local.options.Cmd?.[0]).toBe('bash');
    expect(local.options.StopSignal).toBe('SIGINT');
    expect(local.volume).toBe('w2meet-demo-postgres');
    const official = plan('official').find((c) => c.id === 'postgres')!;
    expect(official.options.Entrypoint).toBeUndefined();
    expect(env(official.options).POSTGRES_DB).toBe('postgres');
  });

  it('publishes infrastructure ports on loopback only when asked (--expose-infra)', () => {
    const containers = plan('local', { postgres: 15432, redis: 16379, rabbitmq: 15672 });
    const redis = containers.find((c) => c.id === 'redis')!;
    expect(redis.options.HostConfig!.PortBindings).toEqual({ '6379/tcp': [{ HostIp: '127.0.0.1', HostPort: '16379' }] });
    expect(containers.find((c) => c.id === 'user-service')!.options.HostConfig!.PortBindings).toBeUndefined();
  });

  it('never writes a password on a command line', () => {
    for (const c of plan('local')) expect(JSON.stringify(c.options.Cmd ?? [])).not.toMatch(/r3dis|rpw|p\/w d/);
  });

  it('with a request log folder, the services and the gateway log requests to it, off the Engine; the infrastructure keeps stdout', () => {
    const spec = buildLabSpec(secrets, { name: 'demo', gatewayPort: 18080 });
    const containers = planContainers({ spec, images, flavours: {}, requestLogDir: '/srv/lab/docker-logs' });
    const byId = Object.fromEntries(containers.map((c) => [c.id, c]));
    const mount = { Type: 'bind', Source: '/srv/lab/docker-logs', Target: '/var/log/w2meet' };
    expect(byId['user-service']!.options.HostConfig!.Mounts).toContainEqual(mount);
    expect(env(byId['user-service']!.options)).toMatchObject({
      LOG_FILE: '/var/log/w2meet/user-service.log',
      LOG_STDOUT: 'startup-and-warnings',
    });
    expect(byId.gateway!.options.HostConfig!.Mounts).toContainEqual(mount);
    expect(env(byId.gateway!.options).W2MEET_NGINX_CONF).toContain('access_log /var/log/w2meet/gateway.log');
    expect(byId.redis!.options.HostConfig!.Mounts ?? []).not.toContainEqual(mount);
    // Without one, as on an Engine elsewhere: stdout, as before.
    const plain = plan('official');
    expect(env(plain.find((c) => c.id === 'user-service')!.options).LOG_FILE).toBeUndefined();
    expect(env(plain.find((c) => c.id === 'gateway')!.options).W2MEET_NGINX_CONF).toContain('access_log /dev/stdout');
  });
});

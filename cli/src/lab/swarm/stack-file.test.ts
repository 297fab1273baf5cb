import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { renderCompose } from '../compose-file.js';
import { renderStack, stackSecretValues } from './stack-file.js';

describe('compose/docker-stack.yml', () => {
  const text = renderStack();
  const doc = parse(text);
  const services = doc.services as Record<string, Record<string, unknown>>;

  it('has every instance as a service of one task, by dnsrr name, from the images named by W2MEET_IMAGE_REPO', () => {
    // The same instances as compose/docker-compose.yml (whose own test names them).
    expect(Object.keys(services).sort()).toEqual(Object.keys(parse(renderCompose()['docker-compose.yml']).services).sort());
    expect(Object.keys(services)).toContain('availability-service-2');
    for (const [name, s] of Object.entries(services)) {
      expect(s.image, name).toMatch(/^\$\{W2MEET_IMAGE_REPO:-localhost\/w2meet\}\/(local-base|[a-z]+-service):latest$/);
      expect(s.deploy, name).toMatchObject({ replicas: 1, endpoint_mode: 'dnsrr', restart_policy: { condition: 'any' } });
    }
    // Under localhost/, never a bare name of Docker Hub's, which a task's start would try to pull.
    expect(services['user-service']!.image).toBe('${W2MEET_IMAGE_REPO:-localhost/w2meet}/user-service:latest');
    // The replicas of a component share its name, as on the other runtimes.
    expect(services['availability-service-2']!.networks).toEqual({ lab: { aliases: ['availability-service'] } });
  });

  it('has nothing the stack format refuses or ignores: no depends_on, no build, no published port', () => {
    for (const [name, s] of Object.entries(services)) {
      expect(
        Object.keys(s).filter((k) => ['depends_on', 'build', 'ports', 'container_name'].includes(k)),
        name,
      ).toEqual([]);
    }
    expect(doc.name).toBeUndefined();
    expect(doc.networks.lab).toEqual({ driver: 'overlay', attachable: true });
  });

  it('reads every password from an external secret, whose content stackSecretValues gives', () => {
    const secrets = stackSecretValues({ postgresPassword: 'pg-pass-1234', rabbitPassword: 'mq-pass-1234', redisPassword: 'rd-pass-1234' });
    expect(Object.keys(doc.secrets).sort()).toEqual(Object.keys(secrets).sort());
    for (const s of Object.values(doc.secrets)) expect(s).toEqual({ external: true });
    expect(secrets.w2meet_pg_dsn).toBe('postgres://w2meet:pg-pass-1234@postgres:5432/w2meet');
    expect(secrets.w2meet_redis_password).toBe('rd-pass-1234');
    const used = new Set(Object.values(services).flatMap((s) => (s.secrets as string[] | undefined) ?? []));
    expect([...used].sort()).toEqual(Object.keys(secrets).sort());
    // No password, nor a placeholder of one, in any environment.
    const env = Object.values(services).flatMap((s) => s.environment as string[]);
    expect(env.filter((e) => /PASS|DSN|_URL=/.test(e) && !e.includes('_FILE=/run/secrets/w2meet_'))).toEqual([]);
    expect(text).not.toMatch(/w2meet-stack-[a-z]+-password/);
  });

  it('makes its own database on Postgres (no w2meet is there to) from the schema as a swarm config', () => {
    expect(services.postgres!.environment).toContain('POSTGRES_DB=w2meet');
    expect(services.postgres!.configs).toEqual([
      { source: 'w2meet_schema', target: '/docker-entrypoint-initdb.d/001-schema.sql', mode: 0o444 },
    ]);
    expect(doc.configs).toEqual({ w2meet_schema: { file: './initdb/001-schema.sql' } });
  });

  it("writes each shell `$` as `$$`: the stack file's only interpolation is the image repository", () => {
    const body = text.split('\n').filter((l) => !l.startsWith('#'));
    const unescaped = body
      .join('\n')
      .replace(/\$\$/g, '')
      .replace(/\$\{W2MEET_IMAGE_REPO:-localhost\/w2meet\}/g, '');
    expect(unescaped).not.toContain('$');
  });
});

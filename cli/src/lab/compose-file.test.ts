import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { renderCompose } from './compose-file.js';
import { packageRoot } from '../shared/paths.js';

describe('compose/docker-compose.yml', () => {
  const files = renderCompose();

  it('is what the lab spec generates (run `npm run compose` after changing the spec)', () => {
    for (const [name, text] of Object.entries(files)) {
      expect(readFileSync(join(packageRoot(), 'compose', name), 'utf8'), `compose/${name}`).toBe(text);
    }
  });

  it('has every replica, the start order, and only the gateway published on loopback', () => {
    const doc = parse(files['docker-compose.yml']);
    expect(Object.keys(doc.services).sort()).toEqual([
      'availability-service-1',
      'availability-service-2',
      'gateway',
      'postgres',
      'rabbitmq',
      'redis',
      'suggestion-service-1',
      'suggestion-service-2',
      'user-service',
      'worker-service',
    ]);
    // Health-gated on what a service needs to boot; the gateway only after its upstreams have started.
    expect(doc.services['user-service'].depends_on).toEqual({
      postgres: { condition: 'service_healthy' },
      redis: { condition: 'service_healthy' },
    });
    expect(doc.services['worker-service'].depends_on).toEqual({ rabbitmq: { condition: 'service_healthy' } });
    expect(doc.services['suggestion-service-1'].depends_on).toBeUndefined();
    expect(doc.services.gateway.depends_on).toMatchObject({
      'availability-service-1': { condition: 'service_started' },
      'suggestion-service-2': { condition: 'service_started' },
      'user-service': { condition: 'service_started' },
      'worker-service': { condition: 'service_started' },
    });
    const published = Object.entries(doc.services).filter(([, s]) => (s as { ports?: string[] }).ports);
    expect(published).toEqual([['gateway', expect.objectContaining({ ports: ['127.0.0.1:8080:8080'] })]]);
  });

  it('writes no password: compose asks for them from the environment', () => {
    expect(files['docker-compose.yml']).toContain('${W2MEET_POSTGRES_PASSWORD:?set W2MEET_POSTGRES_PASSWORD}');
    expect(files['docker-compose.yml']).not.toMatch(/guest/);
  });
});

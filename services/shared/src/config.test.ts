import { describe, expect, it } from 'vitest';
import { commonSchema, ConfigError, loadConfig } from './config.js';

const schema = {
  ...commonSchema,
  PG_DSN: { kind: 'url', protocols: ['postgres'], description: 'database' },
  BASES: { kind: 'urls', protocols: ['http'], description: 'replicas' },
  TTL: { kind: 'int', min: 1, max: 10, default: 5, description: 'ttl' },
} as const;
const good = { PG_DSN: 'postgres://u:p@h:5432/db', BASES: 'http://a:1,http://b:2/' };

describe('loadConfig', () => {
  it('applies defaults and parses types', () => {
    const config = loadConfig(schema, good);
    expect(config).toMatchObject({ PORT: 8000, HOST: '0.0.0.0', LOG_LEVEL: 'info', TTL: 5, BASES: 'http://a:1,http://b:2' });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it.each([
    [{ BASES: 'http://a:1' }, 'PG_DSN: is required'],
    [{ ...good, PG_DSN: 'not a url' }, 'PG_DSN: must be a URL'],
    [{ ...good, PG_DSN: 'mysql://h/db' }, 'PG_DSN: must use postgres://'],
    [{ ...good, BASES: 'http://a:1,ftp://b' }, 'BASES: must use http://'],
    [{ ...good, TTL: '11' }, 'TTL: must be between 1 and 10'],
    [{ ...good, TTL: 'ten' }, 'TTL: must be a whole number'],
    [{ ...good, PORT: '70000' }, 'PORT: must be between 0 and 65535'],
    [{ ...good, LOG_LEVEL: 'loud' }, 'LOG_LEVEL: must be one of'],
    [{ ...good, INSTANCE_ID: 'bad id!' }, 'INSTANCE_ID: must match'],
  ])('names the bad variable: %j', (env, message) => {
    expect(() => loadConfig(schema, env)).toThrow(ConfigError);
    expect(() => loadConfig(schema, env)).toThrow(message);
  });
});

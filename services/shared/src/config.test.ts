import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

  it('reads NAME_FILE when NAME is not set (a mounted secret), and says which file it cannot read', () => {
    const dir = mkdtempSync(join(tmpdir(), 'w2meet-config-'));
    try {
      const file = join(dir, 'port');
      writeFileSync(file, '8123\n');
      expect(loadConfig(commonSchema, { PORT_FILE: file }).PORT).toBe(8123);
      // The variable itself wins over its file.
      expect(loadConfig(commonSchema, { PORT: '8124', PORT_FILE: file }).PORT).toBe(8124);
      expect(() => loadConfig(commonSchema, { PORT_FILE: join(dir, 'missing') })).toThrow(/^PORT_FILE: cannot be read \(ENOENT\)/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

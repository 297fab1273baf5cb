/**
 * Environment configuration, validated once at start-up against a small schema that holds the
 * defaults. A bad or missing variable is reported as one line naming it, so a service started with
 * the wrong environment stops at once instead of failing on its first request.
 */

import { readFileSync } from 'node:fs';

type Kind = 'string' | 'url' | 'urls' | 'int' | 'enum';

interface FieldBase<K extends Kind> {
  kind: K;
  /** Used when the variable is unset or empty; a field without a default is required. */
  default?: K extends 'int' ? number : string;
  description: string;
}
export interface StringField extends FieldBase<'string'> {
  pattern?: RegExp;
}
export interface UrlField extends FieldBase<'url'> {
  protocols: readonly string[];
}
/** A comma-separated list of URLs: the replicas of one upstream. */
export interface UrlsField extends FieldBase<'urls'> {
  protocols: readonly string[];
}
export interface IntField extends FieldBase<'int'> {
  min: number;
  max: number;
}
export interface EnumField extends FieldBase<'enum'> {
  values: readonly string[];
}
export type Field = StringField | UrlField | UrlsField | IntField | EnumField;
export type ConfigSchema = Record<string, Field>;

export type ConfigOf<S extends ConfigSchema> = {
  readonly [K in keyof S]: S[K] extends IntField ? number : string;
};

export class ConfigError extends Error {
  readonly code = 'W2MEET_CONFIG';
  constructor(
    readonly variable: string,
    reason: string,
  ) {
    super(`${variable}: ${reason}`);
  }
}

function parseField(name: string, field: Field, raw: string | undefined): string | number {
  const value = raw === undefined || raw === '' ? undefined : raw;
  if (value === undefined) {
    if (field.default === undefined) throw new ConfigError(name, `is required (${field.description})`);
    return field.default;
  }
  switch (field.kind) {
    case 'int': {
      if (!/^-?\d+$/.test(value)) throw new ConfigError(name, `must be a whole number, got "${value}"`);
      const n = Number(value);
      if (n < field.min || n > field.max) {
        throw new ConfigError(name, `must be between ${field.min} and ${field.max}, got ${n}`);
      }
      return n;
    }
    case 'urls':
      return value
        .split(',')
        .map((part) => parseField(name, { ...field, kind: 'url' }, part.trim()))
        .join(',');
    case 'url': {
      let url: URL;
      try {
        url = new URL(value);
      } catch {
        throw new ConfigError(name, `must be a URL such as ${field.protocols[0]}://host:port, got "${value}"`);
      }
      const protocol = url.protocol.replace(/:$/, '');
      if (!field.protocols.includes(protocol)) {
        throw new ConfigError(name, `must use ${field.protocols.join(' or ')}://, got "${protocol}://"`);
      }
      return value.replace(/\/+$/, '');
    }
    case 'enum':
      if (!field.values.includes(value)) {
        throw new ConfigError(name, `must be one of ${field.values.join(', ')}, got "${value}"`);
      }
      return value;
    case 'string':
      if (field.pattern && !field.pattern.test(value)) {
        throw new ConfigError(name, `must match ${field.pattern}, got "${value}"`);
      }
      return value;
  }
}

/**
 * A variable's value, or else the content of the file `NAME_FILE` names: a secret mounted as a file
 * (a Swarm secret at /run/secrets/…), so a password or a URL holding one need not be in the
 * environment, where `docker service inspect` shows it. The file's last newline is not part of it.
 */
function rawValue(name: string, env: NodeJS.ProcessEnv): string | undefined {
  const direct = env[name];
  const file = env[`${name}_FILE`];
  if ((direct !== undefined && direct !== '') || !file) return direct;
  try {
    return readFileSync(file, 'utf8').replace(/\r?\n$/, '');
  } catch (err) {
    throw new ConfigError(`${name}_FILE`, `cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}): ${file}`);
  }
}

/** Reads every variable of the schema from env (or NAME_FILE); throws a ConfigError naming the first bad one. */
export function loadConfig<S extends ConfigSchema>(schema: S, env: NodeJS.ProcessEnv): ConfigOf<S> {
  const out: Record<string, string | number> = {};
  for (const [name, field] of Object.entries(schema)) out[name] = parseField(name, field, rawValue(name, env));
  return Object.freeze(out) as ConfigOf<S>;
}

/** The variables every service reads, whatever its job. */
export const commonSchema = {
  PORT: { kind: 'int', min: 0, max: 65535, default: 8000, description: 'port to listen on' },
  HOST: { kind: 'string', default: '0.0.0.0', description: 'address to listen on' },
  INSTANCE_ID: {
    kind: 'string',
    pattern: /^[A-Za-z0-9._:-]{1,64}$/,
    default: '',
    description: 'replica name reported in X-Instance and logs (defaults to the host name)',
  },
  LOG_LEVEL: {
    kind: 'enum',
    values: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'],
    default: 'info',
    description: 'pino log level',
  },
  LOG_FILE: {
    kind: 'string',
    default: '',
    description: 'write the log to this file, kept under LOG_FILE_MAX_MB (copied to FILE.1 and emptied when full), instead of stdout',
  },
  LOG_FILE_MAX_MB: { kind: 'int', min: 1, max: 10_000, default: 20, description: 'size at which LOG_FILE is rotated' },
  LOG_STDOUT: {
    kind: 'enum',
    values: ['none', 'startup-and-warnings'],
    default: 'none',
    description:
      'with LOG_FILE: also write to stdout the start-up lines (up to listening) and every warning and error, so `docker logs` shows them while requests are logged to the file alone',
  },
  SHUTDOWN_TIMEOUT_MS: {
    kind: 'int',
    min: 100,
    max: 120_000,
    default: 10_000,
    description: 'how long to wait for in-flight work on SIGTERM',
  },
} as const satisfies ConfigSchema;

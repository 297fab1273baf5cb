import { commonSchema, loadConfig, type ConfigSchema } from '../../shared/src/config.js';

export const userServiceSchema = {
  ...commonSchema,
  PG_DSN: { kind: 'url', protocols: ['postgres', 'postgresql'], description: 'Postgres connection string' },
  REDIS_URL: { kind: 'url', protocols: ['redis'], description: 'Redis URL for the cache-aside read' },
  TTL_SECONDS: { kind: 'int', min: 1, max: 86_400 * 30, default: 300, description: 'cache entry lifetime' },
  REDIS_TIMEOUT_MS: {
    kind: 'int',
    min: 1,
    max: 60_000,
    default: 100,
    description: 'a Redis command slower than this is bypassed and served from Postgres',
  },
  PG_TIMEOUT_MS: { kind: 'int', min: 10, max: 120_000, default: 2000, description: 'Postgres connect and query timeout' },
  PG_POOL_SIZE: { kind: 'int', min: 1, max: 200, default: 10, description: 'Postgres connections per replica' },
} as const satisfies ConfigSchema;

export type UserServiceConfig = ReturnType<typeof loadUserServiceConfig>;

export function loadUserServiceConfig(env: NodeJS.ProcessEnv = process.env) {
  return loadConfig(userServiceSchema, env);
}

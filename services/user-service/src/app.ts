import type { FastifyInstance, FastifyRequest } from 'fastify';
import { createApp } from '../../shared/src/create-app.js';
import { cappedLogFile } from '../../shared/src/capped-log-file.js';
import { HttpError } from '../../shared/src/errors.js';
import { registerHealth } from '../../shared/src/health.js';
import type { UserServiceConfig } from './config.js';
import { UserCache } from './user-cache.js';
import {
  cacheKey,
  emailSchema,
  isSameUser,
  normalizeAvailabilities,
  normalizeEmail,
  userBodySchema,
  userResponseSchema,
  userUpdateSchema,
  type Preference,
  type User,
} from './user-model.js';
import { StoreUnavailableError, UserStore } from './user-store.js';

export const SERVICE = 'user-service';

interface UserBody {
  email?: string;
  availabilities?: Record<string, number[]>;
  preferences?: Preference;
}

const emailParams = {
  type: 'object',
  required: ['email'],
  properties: { email: emailSchema },
} as const;

const responses = (status: number) => ({ [status]: userResponseSchema });

/** Maps "Postgres is away" to the contract's 503; other errors stay internal (500). */
async function withStore<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof StoreUnavailableError) throw new HttpError(503, 'Database is unavailable');
    throw err;
  }
}

function notFound(): HttpError {
  return new HttpError(404, 'User not found');
}

export async function buildUserApp(config: UserServiceConfig, logStream?: NodeJS.WritableStream): Promise<FastifyInstance> {
  const app = createApp({
    service: SERVICE,
    instance: config.INSTANCE_ID,
    logLevel: config.LOG_LEVEL,
    logStream: logStream ?? cappedLogFile(config),
    description: 'Users and their weekly availability; cache-aside reads through Redis.',
  });
  const store = new UserStore(config.PG_DSN, config.PG_TIMEOUT_MS, config.PG_POOL_SIZE);
  const cache = new UserCache(config.REDIS_URL, config.REDIS_TIMEOUT_MS, config.TTL_SECONDS);
  app.addHook('onClose', async () => {
    await Promise.allSettled([store.close(), cache.close()]);
  });

  /** Drops a cached read after a write; a cache that is away is logged, not fatal. */
  async function invalidate(request: FastifyRequest, email: string): Promise<void> {
    try {
      await request.timing.time('redis-del', () => cache.delete(cacheKey(email)));
    } catch (err) {
      request.log.warn({ err: (err as Error).message, key: cacheKey(email) }, 'cache invalidation failed');
    }
  }

  registerHealth(app, {
    service: SERVICE,
    dependencies: {
      postgres: async () => {
        await store.ping();
        return 'healthy';
      },
      redis: async () => {
        await cache.ping();
        return 'healthy';
      },
    },
    // Reads bypass a missing cache, so Redis being away degrades speed, not service.
    optional: ['redis'],
  });

  app.post<{ Body: UserBody }>('/users', { schema: { body: userBodySchema, response: responses(201) } }, async (request, reply) => {
    const body = request.body;
    const email = normalizeEmail(body.email!);
    const created = await withStore(() =>
      request.timing.time('db', () => store.create(email, normalizeAvailabilities(body.availabilities ?? {}), body.preferences ?? 'first')),
    );
    if (created) {
      request.log.info({ email }, 'user created');
      return reply.code(201).send(created);
    }
    // The same user posted again with the same body is a replay (a client script run twice): the
    // stored user, nothing written. Other data under the same email is a conflict, never an overwrite.
    const stored = await withStore(() => request.timing.time('db', () => store.get(email)));
    if (stored && isSameUser(stored, normalizeAvailabilities(body.availabilities ?? {}), body.preferences ?? 'first')) {
      return reply.code(200).send(stored);
    }
    throw new HttpError(409, `User ${email} already exists with other data`);
  });

  app.get<{ Params: { email: string } }>(
    '/users/:email',
    { schema: { params: emailParams, response: responses(200) } },
    async (request) => {
      const user = await withStore(() => request.timing.time('db', () => store.get(normalizeEmail(request.params.email))));
      if (!user) throw notFound();
      return user;
    },
  );

  app.put<{ Params: { email: string }; Body: UserBody }>(
    '/users/:email',
    { schema: { params: emailParams, body: userUpdateSchema, response: responses(200) } },
    async (request) => {
      const email = normalizeEmail(request.params.email);
      const body = request.body ?? {};
      if (body.email !== undefined && normalizeEmail(body.email) !== email) {
        throw new HttpError(400, 'The email in the body differs from the one in the path', [
          { loc: ['body', 'email'], msg: 'must equal the email in the path', type: 'value_error.const' },
        ]);
      }
      const availabilities = body.availabilities ? normalizeAvailabilities(body.availabilities) : null;
      const user = await withStore(() => request.timing.time('db', () => store.update(email, availabilities, body.preferences ?? null)));
      if (!user) throw notFound();
      await invalidate(request, email);
      return user;
    },
  );

  app.delete<{ Params: { email: string } }>('/users/:email', { schema: { params: emailParams } }, async (request, reply) => {
    const email = normalizeEmail(request.params.email);
    const deleted = await withStore(() => request.timing.time('db', () => store.delete(email)));
    if (!deleted) throw notFound();
    await invalidate(request, email);
    return reply.code(204).send();
  });

  /**
   * Cache-aside read: Redis first; on a miss Postgres, then Redis is filled with the TTL. When Redis
   * is down or slower than REDIS_TIMEOUT_MS the read is served from Postgres as BYPASS.
   */
  async function cacheAside(request: FastifyRequest, rawEmail: string, reply: import('fastify').FastifyReply) {
    const email = normalizeEmail(rawEmail);
    const key = cacheKey(email);
    let cached: string | null = null;
    let outcome: 'HIT' | 'MISS' | 'BYPASS' = 'MISS';
    try {
      cached = await request.timing.time('redis', () => cache.get(key));
    } catch (err) {
      outcome = 'BYPASS';
      request.log.warn({ err: (err as Error).message, key }, 'cache unavailable; reading Postgres');
    }
    if (cached !== null) {
      request.log.info({ key }, 'cache hit');
      request.timing.mark('cache', 'HIT');
      return reply.header('X-Cache', 'HIT').type('application/json; charset=utf-8').send(cached);
    }
    const user: User | null = await withStore(() => request.timing.time('db', () => store.get(email)));
    if (!user) throw notFound();
    if (outcome === 'MISS') {
      request.log.info({ key }, 'cache miss');
      try {
        await request.timing.time('redis-set', () => cache.set(key, JSON.stringify(user)));
      } catch (err) {
        request.log.warn({ err: (err as Error).message, key }, 'cache fill failed');
      }
    }
    request.timing.mark('cache', outcome);
    return reply.header('X-Cache', outcome).send(user);
  }

  const cacheAsideResponse = { 200: userResponseSchema };
  app.get<{ Querystring: { user1email: string } }>(
    '/user-avail/cache-aside',
    {
      schema: {
        querystring: { type: 'object', required: ['user1email'], properties: { user1email: emailSchema } },
        response: cacheAsideResponse,
      },
    },
    (request, reply) => cacheAside(request, request.query.user1email, reply),
  );
  app.get<{ Params: { email: string } }>(
    '/user-avail/cache-aside/:email',
    { schema: { params: emailParams, response: cacheAsideResponse } },
    (request, reply) => cacheAside(request, request.params.email, reply),
  );

  return app;
}

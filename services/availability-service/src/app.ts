import type { FastifyInstance } from 'fastify';
import { createApp } from '../../shared/src/create-app.js';
import { cappedLogFile } from '../../shared/src/capped-log-file.js';
import { twoUsersQuerySchema } from '../../shared/src/email.js';
import { registerHealth } from '../../shared/src/health.js';
import { callUpstream } from '../../shared/src/upstream-errors.js';
import { UpstreamClient } from '../../shared/src/upstream-client.js';
import type { Availabilities, Preference } from '../../shared/src/weekly-availability.js';
import { commonHours } from './common-hours.js';
import type { AvailabilityServiceConfig } from './config.js';

export const SERVICE = 'availability-service';

interface UpstreamUser {
  availabilities: Availabilities;
  preferences: Preference;
}

const MESSAGES = {
  notFound: 'One or both users not found',
  unavailable: 'User service is unavailable',
  error: 'User service error',
};

const responseSchema = {
  200: {
    type: 'object',
    properties: {
      common_availabilities: { type: 'object', additionalProperties: { type: 'array', items: { type: 'integer' } } },
      user1preference: { type: 'string' },
      user2preference: { type: 'string' },
    },
  },
};

export async function buildAvailabilityApp(config: AvailabilityServiceConfig, logStream?: NodeJS.WritableStream): Promise<FastifyInstance> {
  const app = createApp({
    service: SERVICE,
    instance: config.INSTANCE_ID,
    logLevel: config.LOG_LEVEL,
    logStream: logStream ?? cappedLogFile(config),
    description: 'Common free hours of two users, read from user-service.',
  });
  const users = new UpstreamClient(config.USER_SERVICE_BASE, config.UPSTREAM_TIMEOUT_MS);
  app.addHook('onClose', () => users.close());

  registerHealth(app, {
    service: SERVICE,
    dependencies: { 'user-service': (caseId) => users.healthStatus(caseId) },
  });

  const handler = async (request: import('fastify').FastifyRequest<{ Querystring: { userId1: string; userId2: string } }>) => {
    const { userId1, userId2 } = request.query;
    const path = (email: string) => `/user-avail/cache-aside?user1email=${encodeURIComponent(email)}`;
    const start = process.hrtime.bigint();
    const [a, b] = await callUpstream<UpstreamUser>(
      [users.getJson(path(userId1), request.caseId), users.getJson(path(userId2), request.caseId)],
      MESSAGES,
    );
    request.timing.add('user-service', Number(process.hrtime.bigint() - start) / 1e6);
    return {
      common_availabilities: commonHours(a!.body.availabilities, b!.body.availabilities),
      user1preference: a!.body.preferences,
      user2preference: b!.body.preferences,
    };
  };
  const options = { schema: { querystring: twoUsersQuerySchema, response: responseSchema } };
  app.get('/availabilities', options, handler);
  app.get('/common_availabilities', { ...options, schema: { ...options.schema, hide: true } }, handler);
  return app;
}

import type { FastifyInstance } from 'fastify';
import { createApp } from '../../shared/src/create-app.js';
import { cappedLogFile } from '../../shared/src/capped-log-file.js';
import { emailSchema } from '../../shared/src/email.js';
import { registerHealth } from '../../shared/src/health.js';
import { callUpstream } from '../../shared/src/upstream-errors.js';
import { UpstreamClient } from '../../shared/src/upstream-client.js';
import { PREFERENCES, type Availabilities, type Preference } from '../../shared/src/weekly-availability.js';
import type { SuggestionServiceConfig } from './config.js';
import { pickSuggestions } from './pick-slots.js';

export const SERVICE = 'suggestion-service';

interface CommonAvailability {
  common_availabilities: Availabilities;
  user1preference: Preference;
  user2preference: Preference;
}

const MESSAGES = {
  notFound: 'One or both users not found',
  unavailable: 'Availability service is unavailable',
  error: 'Availability service error',
};

const querySchema = {
  type: 'object',
  required: ['userId1', 'userId2'],
  properties: { userId1: emailSchema, userId2: emailSchema, preference: { type: 'string', enum: PREFERENCES } },
} as const;

const responseSchema = {
  200: {
    type: 'object',
    properties: {
      case_id: { type: 'string' },
      suggestions: {
        type: 'array',
        items: {
          type: 'object',
          properties: { day: { type: 'string' }, slot: { type: 'array', items: { type: 'integer' } } },
        },
      },
    },
  },
};

export async function buildSuggestionApp(
  config: SuggestionServiceConfig,
  logStream?: NodeJS.WritableStream,
  random: () => number = Math.random,
): Promise<FastifyInstance> {
  const app = createApp({
    service: SERVICE,
    instance: config.INSTANCE_ID,
    logLevel: config.LOG_LEVEL,
    logStream: logStream ?? cappedLogFile(config),
    description: 'Meeting slot suggestions for two users, from availability-service.',
  });
  const availability = new UpstreamClient(config.AVAILABILITY_SERVICE_BASE, config.UPSTREAM_TIMEOUT_MS);
  app.addHook('onClose', () => availability.close());

  registerHealth(app, {
    service: SERVICE,
    dependencies: { 'availability-service': (caseId) => availability.healthStatus(caseId) },
  });

  app.get<{ Querystring: { userId1: string; userId2: string; preference?: Preference } }>(
    '/suggestions',
    { schema: { querystring: querySchema, response: responseSchema } },
    async (request) => {
      const { userId1, userId2, preference } = request.query;
      const path = `/availabilities?userId1=${encodeURIComponent(userId1)}&userId2=${encodeURIComponent(userId2)}`;
      const [res] = await callUpstream<CommonAvailability>([availability.getJson(path, request.caseId)], MESSAGES);
      request.timing.add('availability-service', res!.ms);
      const body = res!.body;
      return {
        case_id: request.caseId,
        suggestions: pickSuggestions(body.common_availabilities, body.user1preference, body.user2preference, preference, random),
      };
    },
  );
  return app;
}

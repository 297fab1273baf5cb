import type { ComponentName } from './names.js';
import type { Component } from './component.js';
import { gateway } from './gateway.js';
import { postgres, postgresUrl } from './postgres.js';
import { amqpUrl, rabbitmq } from './rabbitmq.js';
import { redis, redisUrl } from './redis.js';
import { serviceBases, serviceComponent } from './service.js';

/**
 * Every component of the lab, in the order the lab lists them. Adding a component is one module
 * and one line here; the spec, both runtimes and the compose file loop over this list.
 */
export const CATALOGUE: readonly Component[] = [
  postgres,
  redis,
  rabbitmq,
  serviceComponent({
    name: 'user-service',
    gatewayPrefix: '/users/',
    dependsOn: ['postgres', 'redis'],
    env: (book, s) => ({
      PG_DSN: postgresUrl(book.hostPorts('postgres')[0]!, s, s.postgresDb, book.keepPlaceholders),
      REDIS_URL: redisUrl(book.hostPorts('redis')[0]!, s, book.keepPlaceholders),
    }),
  }),
  serviceComponent({
    name: 'availability-service',
    gatewayPrefix: '/availability/',
    healthAfter: ['user-service'],
    env: (book) => ({ USER_SERVICE_BASE: serviceBases(book, 'user-service') }),
  }),
  serviceComponent({
    name: 'suggestion-service',
    gatewayPrefix: '/suggestion/',
    healthAfter: ['availability-service'],
    env: (book) => ({ AVAILABILITY_SERVICE_BASE: serviceBases(book, 'availability-service') }),
  }),
  // The worker needs only the broker to be healthy; it retries suggestions that are not there yet.
  serviceComponent({
    name: 'worker-service',
    gatewayPrefix: '/worker/',
    dependsOn: ['rabbitmq'],
    env: (book, s) => ({
      RABBITMQ_URL: amqpUrl(book.hostPorts('rabbitmq')[0]!, s, book.keepPlaceholders),
      SUGGESTION_SERVICE_BASE: serviceBases(book, 'suggestion-service'),
      QUEUE_NAME: 'meeting_jobs',
    }),
  }),
  gateway,
];

const BY_NAME = new Map(CATALOGUE.map((c) => [c.name, c]));

export function componentFor(name: ComponentName | string): Component {
  const found = BY_NAME.get(name as ComponentName);
  // A name outside the catalogue is a bug in the caller, never something a person typed.
  if (!found) throw new Error(`no component named ${name} in the catalogue`);
  return found;
}

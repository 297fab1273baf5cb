import { commonSchema, loadConfig, type ConfigSchema } from '../../shared/src/config.js';

export const workerServiceSchema = {
  ...commonSchema,
  RABBITMQ_URL: { kind: 'url', protocols: ['amqp', 'amqps'], description: 'RabbitMQ URL' },
  QUEUE_NAME: { kind: 'string', pattern: /^[A-Za-z0-9._:-]{1,200}$/, default: 'meeting_jobs', description: 'durable job queue' },
  SUGGESTION_SERVICE_BASE: {
    kind: 'urls',
    protocols: ['http'],
    description: 'base URL of suggestion-service (comma-separated for several replicas)',
  },
  JOB_WORK_MS: { kind: 'int', min: 0, max: 600_000, default: 0, description: 'simulated confirmation work per job' },
  PREFETCH: { kind: 'int', min: 1, max: 1000, default: 16, description: 'unacknowledged jobs in hand at once' },
  JOB_MAX_ATTEMPTS: {
    kind: 'int',
    min: 1,
    max: 1000,
    default: 10,
    description: 'attempts before a temporarily failing job is given up',
  },
  PUBLISH_TIMEOUT_MS: {
    kind: 'int',
    min: 10,
    max: 120_000,
    default: 5000,
    description: 'how long POST /tasks waits for the broker confirm',
  },
  UPSTREAM_TIMEOUT_MS: {
    kind: 'int',
    min: 10,
    max: 120_000,
    default: 5000,
    description: 'timeout of each call to suggestion-service',
  },
} as const satisfies ConfigSchema;

export type WorkerServiceConfig = ReturnType<typeof loadWorkerServiceConfig>;

export function loadWorkerServiceConfig(env: NodeJS.ProcessEnv = process.env) {
  return loadConfig(workerServiceSchema, env);
}

import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { FastifyInstance } from 'fastify';
import { createApp } from '../../shared/src/create-app.js';
import { cappedLogFile } from '../../shared/src/capped-log-file.js';
import { emailSchema } from '../../shared/src/email.js';
import { HttpError } from '../../shared/src/errors.js';
import { registerHealth } from '../../shared/src/health.js';
import { UpstreamClient } from '../../shared/src/upstream-client.js';
import { PREFERENCES, type Preference } from '../../shared/src/weekly-availability.js';
import { Broker, BrokerUnavailableError } from './broker.js';
import type { WorkerServiceConfig } from './config.js';
import { JobProcessor } from './job-processor.js';
import type { JobMessage } from './job-messages.js';
import { JobStats } from './job-stats.js';

export const SERVICE = 'worker-service';

const taskBodySchema = {
  type: 'object',
  required: ['userId1', 'userId2'],
  additionalProperties: false,
  properties: { userId1: emailSchema, userId2: emailSchema, preference: { type: 'string', enum: PREFERENCES } },
} as const;

export async function buildWorkerApp(config: WorkerServiceConfig, logStream?: NodeJS.WritableStream): Promise<FastifyInstance> {
  const instance = config.INSTANCE_ID || hostname();
  const app = createApp({
    service: SERVICE,
    instance,
    logLevel: config.LOG_LEVEL,
    logStream: logStream ?? cappedLogFile(config),
    description: 'Queues meeting jobs on RabbitMQ and processes them asynchronously.',
  });
  const stats = new JobStats();
  const suggestions = new UpstreamClient(config.SUGGESTION_SERVICE_BASE, config.UPSTREAM_TIMEOUT_MS, 16);
  let processor: JobProcessor | null = null;
  const broker = new Broker(config.RABBITMQ_URL, config.QUEUE_NAME, config.PREFETCH, config.PUBLISH_TIMEOUT_MS, app.log, (msg, channel) =>
    processor!.handle(msg, channel),
  );
  processor = new JobProcessor(broker, suggestions, stats, {
    instance,
    workMs: config.JOB_WORK_MS,
    maxAttempts: config.JOB_MAX_ATTEMPTS,
    log: app.log,
  });
  app.addHook('onReady', async () => broker.start());
  // Graceful stop: take no new job, finish and acknowledge the ones in hand, then disconnect.
  app.addHook('preClose', async () => {
    await broker.stopConsuming();
    await processor!.drain();
  });
  app.addHook('onClose', async () => {
    await broker.close();
    await suggestions.close();
  });

  /** What a client refused during a broker alarm is told to wait before it tries again. */
  const BLOCKED_RETRY_AFTER_S = 5;
  // Longer than any one job can take: its work, the upstream and publish timeouts, a retry's backoff.
  const STALL_MS = Math.max(30_000, 2 * (config.JOB_WORK_MS + config.UPSTREAM_TIMEOUT_MS + config.PUBLISH_TIMEOUT_MS + 5000));
  registerHealth(app, {
    service: SERVICE,
    dependencies: {
      rabbitmq: async () => (broker.connected ? 'healthy' : 'unhealthy'),
      // A consumer that holds jobs and settles none is not healthy, whatever its connection says;
      // nor is a connection the broker blocks (its publishes cannot be confirmed).
      consumer: async () => {
        if (broker.blockedReason) throw new Error(`the broker blocks this connection: ${broker.blockedReason}`);
        if (stats.stalledFor(STALL_MS)) throw new Error(`${stats.inFlight} jobs in hand and none settled for ${STALL_MS / 1000} s`);
        return 'healthy';
      },
      'suggestion-service': (caseId) => suggestions.healthStatus(caseId),
    },
    optional: ['suggestion-service'],
  });

  app.post<{ Body: { userId1: string; userId2: string; preference?: Preference } }>(
    '/tasks',
    { schema: { body: taskBodySchema } },
    async (request, reply) => {
      const job: JobMessage = {
        job_id: randomUUID(),
        case_id: request.caseId,
        userId1: request.body.userId1,
        userId2: request.body.userId2,
        ...(request.body.preference ? { preference: request.body.preference } : {}),
        attempt: 1,
        enqueued_at: new Date().toISOString(),
      };
      // A blocked connection would hold the frame and publish it once the alarm clears, after the
      // client was told 503 and retried: a ghost job. Refused unsent, a 503 means it never runs.
      if (broker.blockedReason) {
        reply.header('retry-after', String(BLOCKED_RETRY_AFTER_S));
        throw new HttpError(503, `Queue is unavailable: the broker blocks publishing (${broker.blockedReason})`);
      }
      try {
        await request.timing.time('rabbitmq', () => broker.publishToQueue(job, job.case_id, job.job_id));
      } catch (err) {
        if (err instanceof BrokerUnavailableError) throw new HttpError(503, `Queue is unavailable: ${err.message}`);
        throw err;
      }
      stats.published++;
      request.log.info({ job_id: job.job_id, queue: config.QUEUE_NAME }, 'job enqueued');
      return reply.code(202).send({ case_id: request.caseId, status: 'enqueued', job_id: job.job_id, queue: config.QUEUE_NAME });
    },
  );

  app.get('/stats', async () => {
    const info = await broker.queueInfo().catch(() => null);
    return {
      ...stats.snapshot(),
      queue: config.QUEUE_NAME,
      queue_depth: info?.depth ?? null,
      consumers: info?.consumers ?? null,
      connected: broker.connected,
    };
  });
  return app;
}

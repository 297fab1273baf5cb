import amqp, { type Channel, type ChannelModel, type ConfirmChannel, type ConsumeMessage } from 'amqplib';
import type { FastifyBaseLogger } from 'fastify';
import { backoffDelay, sleep } from '../../shared/src/backoff.js';
import { DONE_EXCHANGE_SUFFIX } from './job-messages.js';

/** RabbitMQ is not connected, or did not confirm a publish in time. */
export class BrokerUnavailableError extends Error {
  readonly code = 'BROKER_UNAVAILABLE';
}

/** A broker call that never answers (a blocked connection) must not hold its caller forever. */
export function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new BrokerUnavailableError(`RabbitMQ did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

export type JobHandler = (msg: ConsumeMessage, channel: Channel) => Promise<void>;

interface Connected {
  connection: ChannelModel;
  publish: ConfirmChannel;
  consume: Channel;
}

/**
 * One connection to RabbitMQ with a confirm channel for publishing and a channel for consuming.
 * When the broker goes away the broker object reconnects with backoff, declares the durable queue
 * and the completion exchange again and resumes consuming; meanwhile publishes fail at once.
 */
export class Broker {
  private current: Connected | null = null;
  /** Set while RabbitMQ blocks the connection (a memory or disk alarm): publishes wait, then time out. */
  blockedReason: string | null = null;
  private closed = false;
  private consumerTag: string | null = null;
  private readonly stop = new AbortController();

  constructor(
    private readonly url: string,
    readonly queue: string,
    private readonly prefetch: number,
    private readonly publishTimeoutMs: number,
    private readonly log: FastifyBaseLogger,
    private readonly handler: JobHandler,
  ) {}

  get doneExchange(): string {
    return `${this.queue}${DONE_EXCHANGE_SUFFIX}`;
  }

  get connected(): boolean {
    return this.current !== null;
  }

  /** Connects in the background and keeps doing so until close(). */
  start(): void {
    void this.connectLoop();
  }

  private async connectLoop(): Promise<void> {
    for (let attempt = 0; !this.closed; attempt++) {
      try {
        await this.connectOnce();
        return;
      } catch (err) {
        const delay = backoffDelay(attempt, 100, 3000);
        this.log.warn({ err: (err as Error).message, retry_in_ms: delay }, 'rabbitmq connection failed');
        await sleep(delay, this.stop.signal);
      }
    }
  }

  private async connectOnce(): Promise<void> {
    const connection = await amqp.connect(this.url, { timeout: 3000, heartbeat: 5 });
    const bounded = <T>(work: Promise<T>) => withTimeout(work, Math.max(this.publishTimeoutMs, 3000));
    try {
      const publish = await bounded(connection.createConfirmChannel());
      const consume = await bounded(connection.createChannel());
      await bounded(publish.assertQueue(this.queue, { durable: true }));
      await bounded(publish.assertExchange(this.doneExchange, 'fanout', { durable: true }));
      await bounded(consume.prefetch(this.prefetch));
      connection.on('error', (err: Error) => this.log.warn({ err: err.message }, 'rabbitmq connection error'));
      connection.on('blocked', (reason: string) => {
        this.blockedReason = reason || 'blocked by the broker';
        this.log.warn({ reason }, 'rabbitmq blocked the connection');
      });
      connection.on('unblocked', () => {
        this.blockedReason = null;
        this.log.info('rabbitmq unblocked the connection');
      });
      connection.on('close', () => this.onLost(connection));
      // A channel closed by the broker (e.g. a failed declare) ends the connection too, so both
      // channels are recreated together.
      for (const ch of [publish, consume]) {
        ch.on('error', (err: Error) => this.log.warn({ err: err.message }, 'rabbitmq channel error'));
        ch.on('close', () => {
          if (this.current?.connection === connection) void connection.close().catch(() => {});
        });
      }
      this.current = { connection, publish, consume };
      const { consumerTag } = await bounded(
        consume.consume(this.queue, (msg) => {
          if (msg) void this.handler(msg, consume);
        }),
      );
      this.consumerTag = consumerTag;
      this.log.info({ queue: this.queue }, 'rabbitmq connected');
    } catch (err) {
      // Forgotten before it is closed, so its close event starts no second reconnect loop beside
      // the one that is retrying this connect.
      if (this.current?.connection === connection) {
        this.current = null;
        this.consumerTag = null;
      }
      await connection.close().catch(() => {});
      throw err;
    }
  }

  private onLost(connection: ChannelModel): void {
    if (this.current?.connection !== connection) return;
    this.current = null;
    this.blockedReason = null;
    this.consumerTag = null;
    if (this.closed) return;
    this.log.warn('rabbitmq connection lost; reconnecting');
    void this.connectLoop();
  }

  /**
   * Publishes a persistent message and resolves only once the broker confirmed it. `patient`: a
   * worker's own publish (a retry or a completion) waits for its confirm as long as the broker
   * blocks the connection (a memory alarm) instead of timing out: the message is on its way and
   * will be confirmed once the alarm clears, while giving the job back would have it done twice.
   */
  publishToQueue(body: object, caseId: string, messageId: string, patient = false): Promise<void> {
    return this.confirmed(patient, (ch, done) =>
      ch.sendToQueue(
        this.queue,
        Buffer.from(JSON.stringify(body)),
        {
          persistent: true,
          contentType: 'application/json',
          messageId,
          headers: { 'case-id': caseId },
        },
        done,
      ),
    );
  }

  publishDone(event: object, caseId: string): Promise<void> {
    return this.confirmed(true, (ch, done) =>
      ch.publish(
        this.doneExchange,
        '',
        Buffer.from(JSON.stringify(event)),
        {
          persistent: true,
          contentType: 'application/json',
          headers: { 'case-id': caseId },
        },
        done,
      ),
    );
  }

  private confirmed(patient: boolean, send: (ch: ConfirmChannel, done: (err: unknown) => void) => void): Promise<void> {
    const current = this.current;
    if (!current) return Promise.reject(new BrokerUnavailableError('RabbitMQ is not connected'));
    return new Promise<void>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const arm = () => {
        timer = setTimeout(() => {
          // Still blocked on the same connection: the confirm is only delayed. A lost connection
          // fails the publish through its callback instead.
          if (patient && this.blockedReason && this.current === current) return arm();
          reject(new BrokerUnavailableError(`RabbitMQ did not confirm within ${this.publishTimeoutMs} ms`));
        }, this.publishTimeoutMs);
      };
      arm();
      try {
        send(current.publish, (err) => {
          clearTimeout(timer);
          if (err) reject(new BrokerUnavailableError(`RabbitMQ refused the message: ${String(err)}`));
          else resolve();
        });
      } catch (err) {
        clearTimeout(timer);
        reject(new BrokerUnavailableError((err as Error).message));
      }
    });
  }

  /**
   * Messages ready in the queue and consumers on it, as the broker counts them; null when the broker
   * does not answer within the publish timeout (a blocked connection answers nothing), so /stats
   * answers anyway.
   */
  async queueInfo(): Promise<{ depth: number; consumers: number } | null> {
    const current = this.current;
    if (!current) return null;
    const q = await withTimeout(current.publish.checkQueue(this.queue), this.publishTimeoutMs).catch(() => null);
    return q && { depth: q.messageCount, consumers: q.consumerCount };
  }

  /** Stops taking new jobs; jobs in hand are finished by their handlers. */
  async stopConsuming(): Promise<void> {
    const current = this.current;
    if (current && this.consumerTag) await withTimeout(current.consume.cancel(this.consumerTag), this.publishTimeoutMs).catch(() => {});
    this.consumerTag = null;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.stop.abort();
    const current = this.current;
    this.current = null;
    if (current) await current.connection.close().catch(() => {});
  }
}

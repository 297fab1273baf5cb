import { setTimeout as sleep } from 'node:timers/promises';
import amqp, { type Channel, type ChannelModel } from 'amqplib';

export interface Completion {
  event_id: string;
  job_id: string;
  case_id: string;
  outcome: string;
  attempt: number;
  redelivered: boolean;
  suggestion: unknown;
}

/** An unused listener queue is removed by the broker after this long, so a crashed run leaves none. */
const QUEUE_EXPIRES_MS = 10 * 60_000;

/**
 * Listens to the worker's completion exchange through a durable queue of its own, bound before any
 * job is sent, so events published while RabbitMQ restarts are kept and read once the listener is
 * back. It reconnects by itself when the broker goes away, until it is closed.
 */
export class CompletionListener {
  readonly events: Completion[] = [];
  private readonly seen = new Set<string>();
  private connection: ChannelModel | null = null;
  private channel: Channel | null = null;
  private closed = false;
  private reconnecting: Promise<void> | null = null;
  private readonly queue: string;

  constructor(
    /**
     * The broker's URL, or what reads it anew at each connection: a broker restarted by the
     * scenario can come back at another address (a swarm task's on Docker's gateway bridge).
     */
    private readonly url: string | (() => Promise<string>),
    name = `${process.pid}-${Date.now()}`,
    private readonly exchange = 'meeting_jobs.done',
  ) {
    this.queue = `w2meet-done-${name}`;
  }

  async connect(): Promise<void> {
    const connection = await amqp.connect(typeof this.url === 'string' ? this.url : await this.url());
    this.connection = connection;
    connection.on('error', () => {});
    connection.on('close', () => {
      if (this.connection === connection && !this.closed) this.reconnect().catch(() => {});
    });
    this.channel = await connection.createChannel();
    this.channel.on('error', () => {});
    await this.channel.assertExchange(this.exchange, 'fanout', { durable: true });
    await this.channel.assertQueue(this.queue, { durable: true, arguments: { 'x-expires': QUEUE_EXPIRES_MS } });
    await this.channel.bindQueue(this.queue, this.exchange, '');
    await this.channel.consume(this.queue, (msg) => {
      if (!msg) return;
      const event = JSON.parse(msg.content.toString()) as Completion;
      // The listener's own queue redelivers what it had not acknowledged when the broker restarted.
      if (!this.seen.has(event.event_id)) this.events.push(event);
      this.seen.add(event.event_id);
      this.channel?.ack(msg);
    });
  }

  /** Connects again after the broker went away; retries until it answers or the time is up. */
  reconnect(timeoutMs = 60_000): Promise<void> {
    this.reconnecting ??= this.retryConnect(timeoutMs).finally(() => (this.reconnecting = null));
    return this.reconnecting;
  }

  private async retryConnect(timeoutMs: number): Promise<void> {
    await this.disconnect();
    const deadline = Date.now() + timeoutMs;
    while (!this.closed) {
      try {
        await this.connect();
        return;
      } catch (err) {
        if (Date.now() > deadline) throw err;
        await sleep(200);
      }
    }
  }

  byJob(): Map<string, Completion[]> {
    const out = new Map<string, Completion[]>();
    for (const e of this.events) out.set(e.job_id, [...(out.get(e.job_id) ?? []), e]);
    return out;
  }

  private async disconnect(): Promise<void> {
    const connection = this.connection;
    this.connection = null;
    this.channel = null;
    await connection?.close().catch(() => {});
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.reconnecting?.catch(() => {});
    await this.channel?.deleteQueue(this.queue).catch(() => {});
    await this.disconnect();
  }
}

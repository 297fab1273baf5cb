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

/**
 * Listens to the worker's completion exchange through a durable queue of its own, so events
 * published while RabbitMQ restarts are kept and read once the listener reconnects.
 */
export class CompletionListener {
  readonly events: Completion[] = [];
  private readonly seen = new Set<string>();
  private connection: ChannelModel | null = null;
  private channel: Channel | null = null;
  private readonly queue = `w2meet-test-done-${process.pid}-${Date.now()}`;

  constructor(private readonly url: string, private readonly exchange = 'meeting_jobs.done') {}

  async connect(): Promise<void> {
    this.connection = await amqp.connect(this.url);
    this.connection.on('error', () => {});
    this.channel = await this.connection.createChannel();
    this.channel.on('error', () => {});
    await this.channel.assertExchange(this.exchange, 'fanout', { durable: true });
    await this.channel.assertQueue(this.queue, { durable: true });
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

  /** Reconnects after a broker restart; retries until the broker answers or the time is up. */
  async reconnect(timeoutMs = 30_000): Promise<void> {
    await this.disconnect();
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        await this.connect();
        return;
      } catch (err) {
        if (Date.now() > deadline) throw err;
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  }

  byJob(): Map<string, Completion[]> {
    const out = new Map<string, Completion[]>();
    for (const e of this.events) out.set(e.job_id, [...(out.get(e.job_id) ?? []), e]);
    return out;
  }

  private async disconnect(): Promise<void> {
    await this.connection?.close().catch(() => {});
    this.connection = null;
    this.channel = null;
  }

  async close(): Promise<void> {
    await this.channel?.deleteQueue(this.queue).catch(() => {});
    await this.disconnect();
  }
}

import { randomUUID } from 'node:crypto';
import type { Channel, ConsumeMessage } from 'amqplib';
import type { FastifyBaseLogger } from 'fastify';
import { backoffDelay, sleep } from '../../shared/src/backoff.js';
import { UpstreamUnavailableError, type UpstreamClient } from '../../shared/src/upstream-client.js';
import type { Broker } from './broker.js';
import { isTemporaryStatus, parseJobMessage, type CompletionEvent, type JobMessage, type JobOutcome } from './job-messages.js';
import type { JobStats } from './job-stats.js';

export interface ProcessorOptions {
  instance: string;
  workMs: number;
  maxAttempts: number;
  log: FastifyBaseLogger;
}

type SuggestionResult = { kind: 'done'; outcome: JobOutcome; suggestion: unknown; reason?: string } | { kind: 'retry'; reason: string };

/**
 * Takes one job from the queue to its completion event. The job is acknowledged only after its
 * completion event (or its retry) was confirmed by the broker, so a crash at any point leaves the
 * job on the queue: delivery is at least once, and a redelivery is counted and visible.
 */
export class JobProcessor {
  private readonly inHand = new Set<Promise<void>>();

  constructor(
    private readonly broker: Broker,
    private readonly suggestions: UpstreamClient,
    private readonly stats: JobStats,
    private readonly options: ProcessorOptions,
  ) {}

  handle = (msg: ConsumeMessage, channel: Channel): Promise<void> => {
    const work = this.process(msg, channel).finally(() => {
      this.inHand.delete(work);
      this.stats.inFlight = this.inHand.size;
    });
    this.inHand.add(work);
    this.stats.inFlight = this.inHand.size;
    return work;
  };

  /** Resolves when every job in hand has been acknowledged (or its channel is gone). */
  async drain(): Promise<void> {
    await Promise.allSettled([...this.inHand]);
  }

  private async process(msg: ConsumeMessage, channel: Channel): Promise<void> {
    const job = parseJobMessage(msg.content);
    const log = this.options.log.child({ case_id: job?.case_id ?? 'unknown' });
    if (!job) {
      log.error({ size: msg.content.length }, 'unreadable job dropped');
      this.ack(channel, msg, log);
      return;
    }
    if (msg.fields.redelivered) {
      this.stats.redelivered++;
      log.warn({ job_id: job.job_id }, 'job redelivered');
    }
    log.info({ job_id: job.job_id, attempt: job.attempt }, 'job started');
    try {
      const result = await this.askSuggestion(job);
      if (result.kind === 'retry' && job.attempt < this.options.maxAttempts) {
        await sleep(backoffDelay(job.attempt - 1, 200, 5000));
        await this.broker.publishToQueue({ ...job, attempt: job.attempt + 1 }, job.case_id, job.job_id, true);
        this.stats.retried++;
        log.warn({ job_id: job.job_id, attempt: job.attempt, reason: result.reason }, 'job retried');
      } else {
        const done =
          result.kind === 'done'
            ? result
            : { outcome: 'failed' as const, suggestion: null, reason: `gave up after ${job.attempt} attempts: ${result.reason}` };
        if (this.options.workMs > 0) await sleep(this.options.workMs);
        await this.complete(job, msg.fields.redelivered, done.outcome, done.suggestion, done.reason);
        if (done.outcome === 'failed') this.stats.failed++;
        else this.stats.processed++;
        log.info({ job_id: job.job_id, outcome: done.outcome, attempt: job.attempt }, 'job finished');
      }
      this.ack(channel, msg, log);
    } catch (err) {
      // The broker went away, or did not confirm in time (a memory alarm blocks publishes): give the
      // job back so it is delivered again. Merely leaving it unacknowledged would keep its prefetch
      // slot until the channel closed: after PREFETCH of them the consumer took nothing more, for
      // as long as the connection lived, while /health said healthy.
      log.warn({ job_id: job.job_id, err: (err as Error).message }, 'job given back for redelivery');
      this.stats.givenBack++;
      this.giveBack(channel, msg, log);
    }
  }

  private async askSuggestion(job: JobMessage): Promise<SuggestionResult> {
    const params = new URLSearchParams({ userId1: job.userId1, userId2: job.userId2 });
    if (job.preference) params.set('preference', job.preference);
    try {
      const res = await this.suggestions.getJson<{ suggestions?: unknown; detail?: unknown }>(`/suggestions?${params}`, job.case_id);
      if (res.status === 200) return { kind: 'done', outcome: 'completed', suggestion: res.body.suggestions ?? [] };
      if (isTemporaryStatus(res.status)) return { kind: 'retry', reason: `suggestion-service answered ${res.status}` };
      return { kind: 'done', outcome: 'failed', suggestion: null, reason: `suggestion-service answered ${res.status}` };
    } catch (err) {
      if (err instanceof UpstreamUnavailableError) return { kind: 'retry', reason: err.message };
      throw err;
    }
  }

  private complete(job: JobMessage, redelivered: boolean, outcome: JobOutcome, suggestion: unknown, reason?: string) {
    const event: CompletionEvent = {
      event_id: randomUUID(),
      job_id: job.job_id,
      case_id: job.case_id,
      outcome,
      suggestion,
      attempt: job.attempt,
      redelivered,
      ...(reason ? { reason } : {}),
      instance: this.options.instance,
      completed_at: new Date().toISOString(),
    };
    return this.broker.publishDone(event, job.case_id);
  }

  private ack(channel: Channel, msg: ConsumeMessage, log: FastifyBaseLogger): void {
    try {
      channel.ack(msg);
      this.stats.lastSettledAt = Date.now();
    } catch (err) {
      log.warn({ err: (err as Error).message }, 'ack failed; the job will be delivered again');
    }
  }

  /** Back to the queue: a closed channel does the same by itself, so a failure here is harmless. */
  private giveBack(channel: Channel, msg: ConsumeMessage, log: FastifyBaseLogger): void {
    try {
      channel.nack(msg, false, true);
      this.stats.lastSettledAt = Date.now();
    } catch (err) {
      log.warn({ err: (err as Error).message }, 'nack failed; the job will be delivered again when the channel closes');
    }
  }
}

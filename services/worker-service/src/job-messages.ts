import type { Preference } from '../../shared/src/weekly-availability.js';

/** The exchange every completion event is published to (fanout: each listener binds its own queue). */
export const DONE_EXCHANGE_SUFFIX = '.done';

/** A job as it travels on the queue; `attempt` counts from 1 and grows on each retry. */
export interface JobMessage {
  job_id: string;
  case_id: string;
  userId1: string;
  userId2: string;
  preference?: Preference;
  attempt: number;
  enqueued_at: string;
}

export type JobOutcome = 'completed' | 'failed';

/** Published to `<queue>.done` once per processing of a job, before the job is acknowledged. */
export interface CompletionEvent {
  /** Unique per processing: a listener that receives the same event_id twice saw its own redelivery. */
  event_id: string;
  job_id: string;
  case_id: string;
  outcome: JobOutcome;
  suggestion: unknown;
  attempt: number;
  redelivered: boolean;
  reason?: string;
  instance: string;
  completed_at: string;
}

export function parseJobMessage(content: Buffer): JobMessage | null {
  try {
    const value = JSON.parse(content.toString('utf8')) as Partial<JobMessage>;
    if (typeof value.job_id !== 'string' || typeof value.userId1 !== 'string' || typeof value.userId2 !== 'string') {
      return null;
    }
    return {
      job_id: value.job_id,
      case_id: typeof value.case_id === 'string' ? value.case_id : value.job_id,
      userId1: value.userId1,
      userId2: value.userId2,
      ...(value.preference ? { preference: value.preference } : {}),
      attempt: typeof value.attempt === 'number' && value.attempt >= 1 ? value.attempt : 1,
      enqueued_at: typeof value.enqueued_at === 'string' ? value.enqueued_at : new Date().toISOString(),
    };
  } catch {
    return null;
  }
}

/** Temporary failures are retried; a 4xx from suggestion-service (404, 400) will never succeed. */
export function isTemporaryStatus(status: number): boolean {
  return status >= 500 || status === 429 || status === 408;
}

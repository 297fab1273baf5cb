import { HttpError } from './errors.js';
import { UpstreamUnavailableError, type UpstreamResponse } from './upstream-client.js';

/**
 * How a service maps what its upstream answered: 404 passes through as "not found", an upstream
 * that is away (unreachable, timed out, 503) is a 503, any other error status a 502.
 */
export interface UpstreamMessages {
  notFound: string;
  unavailable: string;
  error: string;
}

export function mapUpstreamStatuses(statuses: number[], messages: UpstreamMessages): HttpError | null {
  if (statuses.some((s) => s === 404)) return new HttpError(404, messages.notFound);
  if (statuses.some((s) => s === 503)) return new HttpError(503, messages.unavailable);
  if (statuses.some((s) => s >= 400)) return new HttpError(502, messages.error);
  return null;
}

/** Awaits upstream calls and turns a failure to reach the upstream into the contract's 503. */
export async function callUpstream<T>(calls: Promise<UpstreamResponse<T>>[], messages: UpstreamMessages): Promise<UpstreamResponse<T>[]> {
  let responses: UpstreamResponse<T>[];
  try {
    responses = await Promise.all(calls);
  } catch (err) {
    if (err instanceof UpstreamUnavailableError) {
      // The answer says only "unavailable", as the contract does; what happened goes to the log.
      const unavailable = new HttpError(503, messages.unavailable);
      unavailable.cause = err;
      throw unavailable;
    }
    throw err;
  }
  const error = mapUpstreamStatuses(
    responses.map((r) => r.status),
    messages,
  );
  if (error) throw error;
  return responses;
}

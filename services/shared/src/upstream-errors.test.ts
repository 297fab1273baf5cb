import { describe, expect, it } from 'vitest';
import { HttpError } from './errors.js';
import { callUpstream, mapUpstreamStatuses } from './upstream-errors.js';
import { UpstreamUnavailableError } from './upstream-client.js';

const messages = { notFound: 'nf', unavailable: 'un', error: 'err' };

describe('mapping what an upstream answered', () => {
  it.each([
    [[200, 200], null],
    [[200, 404], 404],
    [[404, 503], 404],
    [[503, 200], 503],
    [[500, 200], 502],
    [[200, 400], 502],
    [[502, 429], 502],
  ])('%j → %s', (statuses, expected) => {
    const error = mapUpstreamStatuses(statuses, messages);
    expect(error?.statusCode ?? null).toBe(expected);
  });

  it("turns an unreachable upstream into 503 with the service's message", async () => {
    const call = Promise.reject(new UpstreamUnavailableError('refused'));
    const err = await callUpstream([call], messages).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HttpError);
    expect((err as HttpError).statusCode).toBe(503);
    expect((err as HttpError).message).toBe('un');
    // What happened stays with it, for the service's log line.
    expect(((err as HttpError).cause as Error).message).toBe('refused');
  });

  it('passes other failures on untouched', async () => {
    const err = await callUpstream([Promise.reject(new TypeError('bug'))], messages).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TypeError);
  });
});

import { describe, expect, it } from 'vitest';
import { isTemporaryStatus, parseJobMessage } from './job-messages.js';

describe('job messages', () => {
  it('parses a job and fills what an older producer left out', () => {
    const job = parseJobMessage(Buffer.from(JSON.stringify({ job_id: 'j1', userId1: 'a@x.io', userId2: 'b@x.io' })));
    expect(job).toMatchObject({ job_id: 'j1', case_id: 'j1', attempt: 1 });
  });

  it('rejects what is not a job', () => {
    expect(parseJobMessage(Buffer.from('not json'))).toBeNull();
    expect(parseJobMessage(Buffer.from('{"job_id": 1}'))).toBeNull();
  });

  it('retries only failures that can go away', () => {
    expect([500, 502, 503, 504, 429, 408].every(isTemporaryStatus)).toBe(true);
    expect([400, 404, 409, 422].some(isTemporaryStatus)).toBe(false);
  });
});

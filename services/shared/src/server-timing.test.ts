import { describe, expect, it } from 'vitest';
import { parseServerTiming, ServerTiming } from './server-timing.js';

describe('ServerTiming', () => {
  it('writes the handler time first, then each part, and parses back', async () => {
    const timing = new ServerTiming();
    timing.add('redis', 0.1234);
    timing.mark('cache', 'HIT');
    await timing.time('db', async () => 1);
    const header = timing.header(1.5);
    expect(header).toMatch(/^app;dur=1\.500, redis;dur=0\.123, cache;desc="HIT", db;dur=\d+\.\d{3}$/);
    const parsed = parseServerTiming(header);
    expect(parsed.get('app')).toEqual({ dur: 1.5 });
    expect(parsed.get('cache')).toEqual({ desc: 'HIT' });
  });

  it('records the time of a call that throws', async () => {
    const timing = new ServerTiming();
    await expect(timing.time('db', async () => Promise.reject(new Error('down')))).rejects.toThrow('down');
    expect(timing.header(0)).toContain('db;dur=');
  });

  it('parses an absent header as empty', () => {
    expect(parseServerTiming(undefined).size).toBe(0);
  });
});

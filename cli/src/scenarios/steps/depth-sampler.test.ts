import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../testing/fake-clock.js';
import type { HttpTarget } from '../http-exchange.js';
import { DepthSampler, readDepth } from './depth-sampler.js';

describe('the queue depth sampler', () => {
  it('reads queue_depth, and nothing from an answer that is not /stats JSON', () => {
    expect(readDepth('{"queue_depth": 42}')).toBe(42);
    expect(readDepth('<html>502 Bad Gateway</html>')).toBeNull();
    expect(readDepth('null')).toBeNull();
    expect(readDepth('{"queue_depth": null}')).toBeNull();
  });

  it('counts unreadable answers and failed requests instead of throwing from its timer', async () => {
    const answers = [{ status: 200, text: 'not json' }, new Error('socket hang up'), { status: 200, text: '{"queue_depth": 7}' }];
    const http = {
      send: async () => {
        const next = answers.shift()!;
        if (next instanceof Error) throw next;
        return next;
      },
    } as unknown as HttpTarget;
    const rejections: unknown[] = [];
    const onRejection = (r: unknown) => rejections.push(r);
    process.on('unhandledRejection', onRejection);
    try {
      const sampler = new DepthSampler(http, new FakeClock(), () => 0);
      for (let i = 0; i < 3; i++) await (sampler as unknown as { sample(): Promise<void> }).sample();
      await new Promise((r) => setTimeout(r, 10));
      expect(sampler.unreadable).toBe(2);
      expect(sampler.maxDepth).toBe(7);
      expect(rejections).toEqual([]);
    } finally {
      process.off('unhandledRejection', onRejection);
    }
  });
});

import { Redis } from 'ioredis';

/**
 * The Redis side of cache-aside. Commands never queue while Redis is away and never wait longer
 * than the configured timeout, so a dead or slow cache turns into a fast bypass rather than a slow
 * request. ioredis keeps reconnecting in the background, so the cache comes back by itself.
 */
export class UserCache {
  private readonly redis: Redis;

  constructor(
    url: string,
    timeoutMs: number,
    private readonly ttlSeconds: number,
  ) {
    this.redis = new Redis(url, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: timeoutMs,
      connectTimeout: Math.max(timeoutMs, 1000),
      retryStrategy: (times) => Math.min(50 * 2 ** times, 2000),
      lazyConnect: false,
    });
    // Connection errors are expected while Redis is down; commands report them to their callers.
    this.redis.on('error', () => {});
  }

  get(key: string): Promise<string | null> {
    return this.redis.get(key);
  }

  async set(key: string, value: string): Promise<void> {
    await this.redis.set(key, value, 'EX', this.ttlSeconds);
  }

  async delete(key: string): Promise<void> {
    await this.redis.del(key);
  }

  async ping(): Promise<void> {
    await this.redis.ping();
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }
}

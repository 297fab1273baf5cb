import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { UpstreamClient, UpstreamUnavailableError } from './upstream-client.js';

/** A port on 127.0.0.1 that nothing listens on: one just freed. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('UpstreamClient', () => {
  it('names every replica it tried, and what each did, when none could be reached', async () => {
    const [a, b] = [await closedPort(), await closedPort()];
    const client = new UpstreamClient(`http://127.0.0.1:${a},http://127.0.0.1:${b}`, 1000);
    try {
      const err = await client.getJson('/health', 'case-1').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(UpstreamUnavailableError);
      const message = (err as Error).message;
      expect(message).toContain(`127.0.0.1:${a}/health`);
      expect(message).toContain(`127.0.0.1:${b}/health`);
      expect(message).toMatch(/ECONNREFUSED/);
    } finally {
      await client.close();
    }
  });
});

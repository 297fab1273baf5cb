import type { FastifyInstance } from 'fastify';
import { ConfigError } from './config.js';

/** What runService needs of any service's configuration (see commonSchema). */
export interface ListenConfig {
  readonly PORT: number;
  readonly HOST: string;
  readonly SHUTDOWN_TIMEOUT_MS: number;
}

export interface RunOptions<C extends ListenConfig> {
  service: string;
  loadConfig: () => C;
  build: (config: C) => Promise<FastifyInstance>;
}

/**
 * The one place a service listens and handles signals: a bad environment stops it with one line,
 * SIGTERM/SIGINT close the server (in-flight requests finish, plugins close their clients), and a
 * shutdown that hangs is cut off after the configured timeout.
 */
export function startService<C extends ListenConfig>(options: RunOptions<C>): void {
  runService(options).catch((err) => {
    process.stderr.write(`${options.service}: ${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  });
}

async function runService<C extends ListenConfig>(options: RunOptions<C>): Promise<void> {
  let config: C;
  try {
    config = options.loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${options.service}: configuration error: ${err.message}\n`);
      process.exit(78);
    }
    throw err;
  }
  const app = await options.build(config);
  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down');
    const timer = setTimeout(() => {
      app.log.error('shutdown timed out; exiting');
      process.exit(1);
    }, config.SHUTDOWN_TIMEOUT_MS);
    timer.unref();
    app.close().then(
      () => process.exit(0),
      (err) => {
        app.log.error({ err }, 'error while shutting down');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  try {
    await app.listen({ port: config.PORT, host: config.HOST });
  } catch (err) {
    process.stderr.write(`${options.service}: cannot listen: ${(err as Error).message}\n`);
    process.exit(1);
  }
}

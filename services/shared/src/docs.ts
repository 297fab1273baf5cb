import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';

/**
 * A bundled service carries swagger-ui's static files in `static/` beside its one file (see
 * cli/build.mjs); run from source, the package's own folder is used.
 */
function bundledUiDir(): string | undefined {
  const entry = process.argv[1];
  if (!entry) return undefined;
  const dir = join(dirname(entry), 'static');
  return existsSync(dir) ? dir : undefined;
}

/** OpenAPI document built from the route schemas, with its UI at /docs. */
export function registerDocs(app: FastifyInstance, service: string, description: string): void {
  app.register(swagger, {
    openapi: { info: { title: service, description, version: '1.0.0' } },
  });
  const baseDir = bundledUiDir();
  app.register(swaggerUi, { routePrefix: '/docs', ...(baseDir ? { baseDir } : {}) });
}

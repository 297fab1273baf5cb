/**
 * The registry images of `--images official`, pinned here and nowhere else. Names only: the
 * registry they come from is the Engine's default or the one given with --registry.
 */
export const OFFICIAL_IMAGES = {
  postgres: 'postgres:16-bookworm',
  redis: 'redis:7-bookworm',
  rabbitmq: 'rabbitmq:3-management',
  gateway: 'nginx:1.27-bookworm',
  node: 'node:20-bookworm-slim',
} as const;

/**
 * How an image expects to be run: `official` images have their own entrypoints (POSTGRES_* and
 * RABBITMQ_DEFAULT_* variables); w2meet's `local` image holds every role and is told which to
 * play. Known from the image's label, so local images pushed to a classroom registry under the
 * official names still run right.
 */
export type ImageFlavour = 'local' | 'official';

import type Docker from 'dockerode';
import type { ImageSource } from './create-docker-lab.js';
import { buildLabImages, imageFlavour, type ImageMode } from './lab-images.js';

/** The lab's images as the Engine runs them (built here, or pulled from `registry`), and how each infrastructure image is run. */
export function labImageSource(docker: Docker, mode: ImageMode, registry?: string): ImageSource {
  return async ({ progress, signal }) => {
    const images = await buildLabImages(docker, mode, (line) => progress({ type: 'info', message: line }), { registry, signal });
    const roles = ['postgres', 'redis', 'rabbitmq', 'gateway'] as const;
    const flavours = Object.fromEntries(await Promise.all(roles.map(async (role) => [role, await imageFlavour(docker, images[role])])));
    return { images, flavours };
  };
}

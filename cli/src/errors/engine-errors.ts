import { W2meetError } from './w2meet-error.js';

/** The Docker runtime needs a service's bundle from `npm run build`, and it is not there. */
export class NotBuiltError extends W2meetError {
  constructor(service: string) {
    super('NOT_BUILT', `the ${service} bundle is missing`, 'run `npm run build` first', 1);
  }
}

/** An image could not be pulled, from Docker's default registry or from a mirror. */
export class ImagePullError extends W2meetError {
  constructor(message: string, hint: string) {
    super('IMAGE_PULL', message, hint, 1);
  }
}

/** An image could not be built: a service's image, or the local base image (debootstrap). */
export class ImageBuildError extends W2meetError {
  constructor(message: string, hint?: string) {
    super('IMAGE_BUILD', message, hint, 1);
  }
}

/** An image could not be pushed to a registry (`w2meet images push`). */
export class ImagePushError extends W2meetError {
  constructor(message: string, hint: string) {
    super('IMAGE_PUSH', message, hint, 1);
  }
}

/** The Docker Engine w2meet starts in the background (dockerd) exited or never answered. */
export class EngineStartError extends W2meetError {
  constructor(message: string, log: string) {
    super('ENGINE_START', message, `see its log, ${log}`, 1);
  }
}

/**
 * The Docker Engine a command was talking to stopped taking connections part-way. Nothing w2meet
 * did is undone by it: the same command, run again once the Engine answers, goes on from what is
 * there (`down` removes whatever of the lab is left).
 */
export class EngineLostError extends W2meetError {
  constructor(address: string, cause: string) {
    super(
      'ENGINE_LOST',
      `the Docker Engine at ${address} stopped answering during this command (${cause})`,
      `see whether it still runs (\`docker info\` with the same DOCKER_HOST; on its machine, its log), then run the same command again: what was done stays, and \`w2meet down\` removes whatever of the lab is left`,
      1,
    );
  }
}

/** `docker compose up` or `down` on a compose file of someone else's failed; compose's own output is in the message. */
export class ComposeError extends W2meetError {
  constructor(
    message: string,
    hint = 'the fault is in the compose file or in what it builds: run the same compose command yourself to see its whole output',
  ) {
    super('COMPOSE', message, hint, 1);
  }
}

/** No Docker Engine answers where the command looked for one. */
export class DockerUnavailableError extends W2meetError {
  constructor(where: string) {
    super(
      'DOCKER_UNAVAILABLE',
      `no Docker Engine answers at ${where}`,
      'start one (`dockerd &` as root, or `systemctl start docker`), set DOCKER_HOST, or use --runtime process',
    );
  }
}

import Docker from 'dockerode';

/**
 * A client for the Docker Engine API. DOCKER_HOST is honoured (dockerode reads it); no API version
 * is pinned, so the daemon answers with its own.
 */
export function dockerClient(env: NodeJS.ProcessEnv = process.env): Docker {
  return env.DOCKER_HOST ? new Docker() : new Docker({ socketPath: '/var/run/docker.sock' });
}

/** Resolves the daemon's version when it answers within the timeout, or null. */
export async function pingDocker(docker: Docker, timeoutMs = 1500): Promise<string | null> {
  try {
    const version = await Promise.race([
      docker.version(),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), timeoutMs)),
    ]);
    return version.Version;
  } catch {
    return null;
  }
}

/** The daemon's address as a person would name it. */
export function dockerAddress(env: NodeJS.ProcessEnv = process.env): string {
  return env.DOCKER_HOST ?? 'unix:///var/run/docker.sock';
}

/** Waits for a stream of Engine progress messages to end, passing each message on. */
export function followProgress(
  docker: Docker,
  stream: NodeJS.ReadableStream,
  onMessage?: (m: Record<string, unknown>) => void,
): Promise<void> {
  return new Promise((resolve, reject) => {
    docker.modem.followProgress(
      stream,
      (err: Error | null, output: Record<string, unknown>[]) => {
        if (err) return reject(err);
        const failed = output.find((o) => o.error);
        if (failed) return reject(new Error(String(failed.error)));
        resolve();
      },
      (event: Record<string, unknown>) => onMessage?.(event),
    );
  });
}

/** Whether the Engine has an image of that reference. */
export async function imageExists(docker: Docker, ref: string): Promise<boolean> {
  try {
    await docker.getImage(ref).inspect();
    return true;
  } catch {
    return false;
  }
}

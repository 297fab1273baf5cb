import { PassThrough } from 'node:stream';
import type Docker from 'dockerode';
import { splitLines } from './split-lines.js';

/** How long a log read that does not follow may take. */
const READ_TIMEOUT_MS = 15_000;

type LogReadOptions = { follow: boolean; tail?: number; since?: Date; signal?: AbortSignal };

/** What can be asked for a log: a container, or a swarm service (its tasks' logs, from every node). */
interface LogSource {
  logs(options: Record<string, unknown>): Promise<unknown>;
}

/** A container's log as lines. */
export function containerLogLines(docker: Docker, containerId: string, options: LogReadOptions): AsyncGenerator<string> {
  return logLines(docker, docker.getContainer(containerId) as unknown as LogSource, options);
}

/**
 * A swarm service's log as lines: the manager gathers it from the tasks of every node, so a lab
 * spread over a cluster is read whole through the one Engine w2meet talks to.
 */
export function serviceLogLines(docker: Docker, serviceId: string, options: LogReadOptions): AsyncGenerator<string> {
  return logLines(docker, docker.getService(serviceId) as unknown as LogSource, options);
}

/**
 * A log as lines. Containers run without a TTY, so the Engine multiplexes stdout and stderr into
 * one framed stream that dockerode splits again.
 */
async function* logLines(docker: Docker, source: LogSource, options: LogReadOptions): AsyncGenerator<string> {
  const out = new PassThrough();
  const base = {
    stdout: true,
    stderr: true,
    timestamps: false,
    ...(options.tail !== undefined ? { tail: options.tail } : {}),
    // The Engine reads only the log after `since`: a trace needs seconds of log, not the whole run's.
    ...(options.since ? { since: Math.floor(options.since.getTime() / 1000) } : {}),
  };
  if (options.follow) {
    const stream = (await source.logs({ ...base, follow: true })) as NodeJS.ReadableStream & { destroy?: () => void };
    docker.modem.demuxStream(stream, out, out);
    stream.on('end', () => out.end());
    options.signal?.addEventListener(
      'abort',
      () => {
        stream.destroy?.();
        out.end();
      },
      { once: true },
    );
  } else {
    // A read that does not follow ends by itself, unless the Engine hangs (a swarm's service logs
    // can, with a node away): bounded, so nothing waiting on it (a fault job's removal) waits forever.
    const buffer = (await source.logs({ ...base, follow: false, abortSignal: AbortSignal.timeout(READ_TIMEOUT_MS) })) as Buffer;
    // A non-following read comes back whole, still framed: 8-byte headers before each chunk.
    let offset = 0;
    while (offset + 8 <= buffer.length) {
      const size = buffer.readUInt32BE(offset + 4);
      out.write(buffer.subarray(offset + 8, offset + 8 + size));
      offset += 8 + size;
    }
    out.end();
  }
  yield* splitLines(out);
}

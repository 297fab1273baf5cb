import { closeSync, copyFileSync, fstatSync, ftruncateSync, openSync, writeSync } from 'node:fs';
import { Writable } from 'node:stream';

/**
 * A log file that never grows past a size: when a write would take it over, the file is copied to
 * `FILE.1` (replacing the one before) and emptied in place. Emptied, not renamed: the process's
 * own stdout and stderr may point at the same file (crash traces land there), and writers that
 * append keep appending to the same file. A request log of a busy lab grew by 100 MB in one run of
 * the scenario suite without this. Writes are synchronous, as pino's default destination is.
 */
export class CappedLogFile extends Writable {
  private fd: number;
  private size: number;

  constructor(
    readonly path: string,
    private readonly maxBytes: number,
  ) {
    super();
    this.fd = openSync(path, 'a');
    this.size = fstatSync(this.fd).size;
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (err?: Error | null) => void): void {
    try {
      if (this.size > 0 && this.size + chunk.length > this.maxBytes) this.rotate();
      writeSync(this.fd, chunk);
      this.size += chunk.length;
      done();
    } catch (err) {
      done(err as Error);
    }
  }

  private rotate(): void {
    copyFileSync(this.path, `${this.path}.1`);
    ftruncateSync(this.fd, 0);
    this.size = 0;
  }

  override _final(done: (err?: Error | null) => void): void {
    closeSync(this.fd);
    done();
  }
}

/** pino's levels from warn up (40 warn, 50 error, 60 fatal): what stdout keeps once the service listens. */
const WARNING = /^\{"level":[4-6]\d[,}]/;

/**
 * The request log to a file, and to `out` what a person looks for in a container's own log: every
 * line up to the service's "Server listening" line (its start-up), then only warnings and errors.
 * On Docker that keeps the Engine from copying every request's line (it copies what a container
 * writes to stdout, line by line), while `docker logs` still shows the start and what went wrong.
 */
export class StartupAndWarnings extends Writable {
  private listening = false;

  constructor(
    private readonly file: NodeJS.WritableStream,
    private readonly out: NodeJS.WritableStream,
  ) {
    super();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (err?: Error | null) => void): void {
    const text = chunk.toString('utf8');
    if (!this.listening) {
      this.out.write(text);
      if (text.includes('"msg":"Server listening')) this.listening = true;
    } else if (WARNING.test(text)) this.out.write(text);
    this.file.write(chunk, done);
  }

  override _final(done: (err?: Error | null) => void): void {
    this.file.end(done);
  }
}

/**
 * The service's log stream from its configuration: the capped file when LOG_FILE is set (with its
 * start-up and warnings on stdout too under LOG_STDOUT=startup-and-warnings), else stdout.
 */
export function cappedLogFile(config: {
  LOG_FILE: string;
  LOG_FILE_MAX_MB: number;
  LOG_STDOUT?: string;
}): NodeJS.WritableStream | undefined {
  if (!config.LOG_FILE) return undefined;
  const file = new CappedLogFile(config.LOG_FILE, config.LOG_FILE_MAX_MB * 1024 * 1024);
  return config.LOG_STDOUT === 'startup-and-warnings' ? new StartupAndWarnings(file, process.stdout) : file;
}

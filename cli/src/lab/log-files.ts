import { MAX_LOG_READ, openRegular, readRegularFrom as readFrom } from './no-follow.js';
import type { LogLine, LogOptions } from './runtime.js';

/** How often a followed log file is looked at again: quick enough to read as live, cheap when idle. */
const FOLLOW_POLL_MS = 300;

export interface LogSource {
  instance: string;
  files: string[];
}

export function parseLogLine(instance: string, line: string): LogLine {
  let record: Record<string, unknown> | null = null;
  if (line.startsWith('{')) {
    try {
      record = JSON.parse(line) as Record<string, unknown>;
    } catch {
      record = null;
    }
  }
  return { instance, line, record };
}

export function matchesCaseId(entry: LogLine, caseId: string | undefined): boolean {
  if (!caseId) return true;
  if (entry.record) return entry.record.case_id === caseId;
  return entry.line.includes(caseId);
}

/** Whether a line was written at or after `since`, to the second; a line without a time passes. */
export function isSince(entry: LogLine, since: Date | undefined): boolean {
  if (!since) return true;
  const time = typeof entry.record?.time === 'string' ? Date.parse(entry.record.time) : NaN;
  return Number.isNaN(time) || time >= Math.floor(since.getTime() / 1000) * 1000;
}

/**
 * Several instances' lines in one order, by each record's time; a line without one keeps the time
 * of the line before it in its own stream, and equal times keep their streams' order.
 */
export function mergeByTime(streams: LogLine[][]): LogLine[] {
  const keyed: { key: string; order: number; entry: LogLine }[] = [];
  let order = 0;
  for (const stream of streams) {
    let lastKey = '';
    for (const entry of stream) {
      const time = entry.record?.time;
      if (typeof time === 'string') lastKey = time;
      keyed.push({ key: lastKey, order: order++, entry });
    }
  }
  keyed.sort((a, b) => (a.key === b.key ? a.order - b.order : a.key < b.key ? -1 : 1));
  return keyed.map((k) => k.entry);
}

const TAIL_CHUNK = 64 * 1024;

/**
 * The end of a file holding at least `lines` whole lines (or the whole file when it has fewer),
 * read backwards in chunks: `logs -n 10` on a log of hundreds of megabytes reads a few kilobytes.
 * The text starts at a line boundary; `size` is where following goes on from.
 */
export async function readTail(path: string, lines: number): Promise<{ text: string; size: number }> {
  // A log may be in a folder a container's user writes: never through a link, never a FIFO.
  const handle = await openRegular(path).catch(() => null);
  if (!handle) return { text: '', size: 0 };
  try {
    const size = (await handle.stat()).size;
    let start = size;
    const chunks: Buffer[] = [];
    let newlines = 0;
    // lines + 1 newlines: the one before the first wanted line, and a possible unfinished last line.
    while (start > 0 && newlines <= lines + 1 && size - start < MAX_LOG_READ) {
      const from = Math.max(0, start - TAIL_CHUNK);
      const buffer = Buffer.alloc(start - from);
      await handle.read(buffer, 0, buffer.length, from);
      chunks.unshift(buffer);
      for (const byte of buffer) if (byte === 0x0a) newlines++;
      start = from;
    }
    // Decoded once, whole: a character split across two chunks would not survive decoding apart.
    let text = Buffer.concat(chunks).toString('utf8');
    // Drop a first line that may have been cut in half by the chunk boundary.
    if (start > 0) text = text.slice(text.indexOf('\n') + 1);
    return { text, size };
  } finally {
    await handle.close();
  }
}

/**
 * Merged logs of several instances, like `docker compose logs`: what is there now ordered by each
 * record's time (lines without one keep the time of the line before), then, with `follow`, new
 * lines as they are written until the signal aborts.
 */
export async function* readLogs(sources: LogSource[], options: LogOptions = {}): AsyncGenerator<LogLine> {
  const offsets = new Map<string, number>();
  const partial = new Map<string, string>();
  const perSource: LogLine[][] = [];
  for (const source of sources) {
    const lines: LogLine[] = [];
    perSource.push(lines);
    for (const file of source.files) {
      // A tail with no filter needs only the end of the file; a Case-ID or a time may be anywhere.
      const onlyTheEnd = options.tail !== undefined && !options.caseId && !options.since;
      const { text, size } = onlyTheEnd ? await readTail(file, options.tail!) : await readFrom(file, 0);
      offsets.set(file, size);
      const fileLines = text.split('\n');
      // An unfinished last line is kept back until the rest of it is written.
      partial.set(file, fileLines.pop() ?? '');
      for (const line of fileLines) if (line) lines.push(parseLogLine(source.instance, line));
    }
    // The tail of the source as a whole: its files are in order, an older FILE.1 first.
    // slice(-0) would keep every line: a tail of 0 means none of what is there already.
    if (options.tail !== undefined) lines.splice(0, options.tail === 0 ? lines.length : Math.max(0, lines.length - options.tail));
  }
  for (const entry of mergeByTime(perSource)) if (matchesCaseId(entry, options.caseId) && isSince(entry, options.since)) yield entry;
  if (!options.follow) return;

  while (!options.signal?.aborted) {
    for (const source of sources) {
      // An older FILE.1 is history: it is rewritten whole when its file is cut, never appended to.
      for (const file of source.files.filter((f) => !f.endsWith('.1'))) {
        const offset = offsets.get(file) ?? 0;
        const { text, size } = await readFrom(file, offset);
        if (size < offset) offsets.set(file, 0); // truncated: start again from the top
        if (!text) continue;
        const joined = (partial.get(file) ?? '') + text;
        const lines = joined.split('\n');
        partial.set(file, lines.pop() ?? '');
        offsets.set(file, size);
        for (const line of lines) {
          if (!line) continue;
          const entry = parseLogLine(source.instance, line);
          if (matchesCaseId(entry, options.caseId)) yield entry;
        }
      }
    }
    // Each wait removes its abort listener again: a follow that runs for hours must not pile them up.
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, FOLLOW_POLL_MS);
      options.signal?.addEventListener('abort', done, { once: true });
    });
  }
}

import { openRegular, readRegularFrom } from '../lab/no-follow.js';
import type { LogLine, Runtime } from '../lab/runtime.js';

/** A point in a deployment's logs: what is read from it is what was written since. */
export type LogMark = { at: Date } | { offsets: Record<string, number>; older: Record<string, string>; at: Date };

/**
 * Where a deployment's log lines are read: a w2meet lab's or a compose project's (through their
 * runtime, by time), or plain files (by offset, so nothing written before the mark is read again).
 * Each line is tagged with the component that wrote it.
 */
export interface LogSource {
  readonly describe: string;
  mark(): Promise<LogMark>;
  since(mark: LogMark, signal?: AbortSignal): Promise<LogLine[]>;
}

/** The logs a runtime reads (a w2meet lab, a compose project): by time, to the second. */
export function runtimeLogSource(runtime: Runtime, name: string, describe: string): LogSource {
  return {
    describe,
    // A second of slack: the Engine keeps log times to the second.
    mark: async () => ({ at: new Date(Date.now() - 1000) }),
    since: async (mark, signal) => {
      const lines: LogLine[] = [];
      for await (const line of runtime.logs(name, { since: mark.at, signal })) lines.push(line);
      return lines;
    },
  };
}

/** A regular file's metadata, never through a link: a profile names the files, and w2meet may run as root. */
async function regularStat(file: string) {
  const handle = await openRegular(file).catch(() => null);
  if (!handle) return null;
  try {
    return await handle.stat();
  } finally {
    await handle.close();
  }
}

async function sizeOf(file: string): Promise<number> {
  return (await regularStat(file))?.size ?? 0;
}

/** A file's older half (FILE.1, as log files here are cut) as it was: changed means the file was cut since. */
async function olderHalf(file: string): Promise<string> {
  const s = await regularStat(`${file}.1`);
  return s ? `${s.size}:${s.mtimeMs}` : '';
}

/** From an offset on, bounded (its last 64 MiB at most), through one descriptor opened without following a link. */
async function readRange(file: string, from: number): Promise<string> {
  return (await readRegularFrom(file, from)).text;
}

/**
 * What was appended to a file since an offset. A file cut since (copied to FILE.1, emptied: its
 * older half changed, or it shrank) is read from where the mark was in FILE.1, then whole.
 */
async function appended(file: string, offset: number, older: string): Promise<string> {
  const cut = (await olderHalf(file)) !== older || (await sizeOf(file)) < offset;
  if (!cut) return readRange(file, offset);
  return (await readRange(`${file}.1`, offset)) + (await readRange(file, 0));
}

/** Plain log files, one per component. */
export function fileLogSource(files: Record<string, string>): LogSource {
  return {
    describe: `log files (${Object.keys(files).join(', ')})`,
    mark: async () => ({
      at: new Date(),
      offsets: Object.fromEntries(await Promise.all(Object.entries(files).map(async ([c, f]) => [c, await sizeOf(f)] as const))),
      older: Object.fromEntries(await Promise.all(Object.entries(files).map(async ([c, f]) => [c, await olderHalf(f)] as const))),
    }),
    since: async (mark) => {
      const offsets = 'offsets' in mark ? mark.offsets : {};
      const older = 'older' in mark ? mark.older : {};
      const lines: LogLine[] = [];
      for (const [component, file] of Object.entries(files)) {
        // Only regular files: a profile names them, and w2meet may run as root.
        if (!(await regularStat(file))) continue;
        const text = await appended(file, offsets[component] ?? 0, older[component] ?? '');
        // A line still being written (no newline yet) is left for the next read.
        const complete = text.slice(0, text.lastIndexOf('\n') + 1);
        for (const line of complete.split('\n')) if (line) lines.push({ instance: component, line, record: null });
      }
      return lines;
    },
  };
}

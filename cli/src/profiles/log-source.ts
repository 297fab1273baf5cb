import { open, stat } from 'node:fs/promises';
import type { LogLine, Runtime } from '../lab/runtime.js';

/** A point in a deployment's logs: what is read from it is what was written since. */
export type LogMark = { at: Date } | { offsets: Record<string, number>; at: Date };

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

async function sizeOf(file: string): Promise<number> {
  return (await stat(file).catch(() => null))?.size ?? 0;
}

/** What was appended to a file since an offset; a file that shrank (rotated) is read from its start. */
async function appended(file: string, offset: number): Promise<string> {
  const size = await sizeOf(file);
  const from = size < offset ? 0 : offset;
  if (size <= from) return '';
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(size - from);
    await handle.read(buffer, 0, buffer.length, from);
    return buffer.toString('utf8');
  } finally {
    await handle.close();
  }
}

/** Plain log files, one per component. */
export function fileLogSource(files: Record<string, string>): LogSource {
  return {
    describe: `log files (${Object.keys(files).join(', ')})`,
    mark: async () => ({
      at: new Date(),
      offsets: Object.fromEntries(await Promise.all(Object.entries(files).map(async ([c, f]) => [c, await sizeOf(f)] as const))),
    }),
    since: async (mark) => {
      const offsets = 'offsets' in mark ? mark.offsets : {};
      const lines: LogLine[] = [];
      for (const [component, file] of Object.entries(files)) {
        const text = await appended(file, offsets[component] ?? 0);
        // A line still being written (no newline yet) is left for the next read.
        const complete = text.slice(0, text.lastIndexOf('\n') + 1);
        for (const line of complete.split('\n')) if (line) lines.push({ instance: component, line, record: null });
      }
      return lines;
    },
  };
}

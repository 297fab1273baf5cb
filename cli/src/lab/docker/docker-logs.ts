import { setMaxListeners } from 'node:events';
import { matchesCaseId, mergeByTime, parseLogLine, readLogs } from '../log-files.js';
import type { LogLine, LogOptions } from '../runtime.js';
import type { EngineClient } from './engine-client.js';

/** The logs of some of a lab's containers: what they hold, merged by time, then (with follow) new lines as they come. */
export async function* containerLogs(
  engine: Pick<EngineClient, 'logLines'>,
  targets: { id: string; containerId: string }[],
  options: LogOptions,
): AsyncGenerator<LogLine> {
  const perInstance = await Promise.all(
    targets.map(async (t) => {
      const lines: LogLine[] = [];
      for await (const line of engine.logLines(t.containerId, { follow: false, tail: options.tail, since: options.since }))
        lines.push(parseLogLine(t.id, line));
      return lines;
    }),
  );
  for (const entry of mergeByTime(perInstance)) if (matchesCaseId(entry, options.caseId)) yield entry;
  if (!options.follow) return;
  // One abort listener per followed container: a lab has more than Node's default warning limit.
  if (options.signal) setMaxListeners(Math.max(10, targets.length + 4), options.signal);
  yield* followAll(
    targets.map((t) => ({ id: t.id, lines: engine.logLines(t.containerId, { follow: true, tail: 0, signal: options.signal }) })),
    options.caseId,
  );
}

/** Interleaves several followed logs as lines arrive. */
async function* followAll(streams: { id: string; lines: AsyncGenerator<string> }[], caseId?: string): AsyncGenerator<LogLine> {
  async function* parsed(stream: { id: string; lines: AsyncGenerator<string> }): AsyncGenerator<LogLine> {
    for await (const line of stream.lines) {
      const entry = parseLogLine(stream.id, line);
      if (matchesCaseId(entry, caseId)) yield entry;
    }
  }
  yield* interleave(streams.map(parsed));
}

/** The last lines of one container's log, for an error message. */
export async function containerLogTail(engine: Pick<EngineClient, 'logLines'>, containerId: string, lines: number): Promise<string> {
  const out: string[] = [];
  try {
    for await (const line of engine.logLines(containerId, { follow: false, tail: lines })) out.push(line);
  } catch {
    /* the container may be gone already */
  }
  return out.join('\n') || '(no log)';
}

/**
 * Lines from several live sources, in the order they arrive. When the reader stops early, each
 * source is told to finish (not awaited: one may be waiting for a line that never comes).
 */
async function* interleave<T>(sources: AsyncGenerator<T>[]): AsyncGenerator<T> {
  const pending = new Map<number, Promise<{ index: number; result: IteratorResult<T> }>>();
  const pull = (index: number) =>
    pending.set(
      index,
      sources[index]!.next().then((result) => ({ index, result })),
    );
  for (let i = 0; i < sources.length; i++) pull(i);
  try {
    while (pending.size) {
      const { index, result } = await Promise.race(pending.values());
      if (result.done) {
        pending.delete(index);
        continue;
      }
      pull(index);
      yield result.value;
    }
  } finally {
    for (const source of sources) void source.return(undefined).catch(() => {});
  }
}

async function collect<T>(source: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of source) out.push(item);
  return out;
}

/**
 * A Docker lab's logs where its request logs are files of the lab's (see request-logs.ts): each
 * instance's file and its container's own log (start-up, warnings, errors) merged by time, then,
 * with follow, both as lines arrive. Without files it is the containers' logs alone.
 */
export async function* dockerLabLogs(
  engine: EngineClient,
  targets: { id: string; containerId: string; files: string[] }[],
  options: LogOptions,
): AsyncGenerator<LogLine> {
  const filed = targets.filter((t) => t.files.length).map((t) => ({ instance: t.id, files: t.files }));
  if (!filed.length) {
    yield* containerLogs(engine, targets, options);
    return;
  }
  const past = { ...options, follow: false };
  const [files, containers] = await Promise.all([collect(readLogs(filed, past)), collect(containerLogs(engine, targets, past))]);
  let merged = mergeByTime([files, containers]);
  // A tail is per instance, as `docker compose logs -n` counts it, over both of its logs together.
  if (options.tail !== undefined) {
    const left = new Map<string, number>();
    merged = merged
      .reverse()
      .filter((l) => {
        const n = left.get(l.instance) ?? options.tail!;
        left.set(l.instance, n - 1);
        return n > 0;
      })
      .reverse();
  }
  yield* merged;
  if (!options.follow) return;
  const live = { ...options, tail: 0 };
  yield* interleave([readLogs(filed, live), containerLogs(engine, targets, live)]);
}

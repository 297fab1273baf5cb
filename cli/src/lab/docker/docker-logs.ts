import { setMaxListeners } from 'node:events';
import { matchesCaseId, mergeByTime, parseLogLine } from '../log-files.js';
import type { LogLine, LogOptions } from '../runtime.js';
import type { EngineClient } from './engine-client.js';

/** The logs of some of a lab's containers: what they hold, merged by time, then (with follow) new lines as they come. */
export async function* containerLogs(
  engine: EngineClient,
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
  const pending = new Map<number, Promise<{ index: number; result: IteratorResult<string> }>>();
  const pull = (index: number) =>
    pending.set(
      index,
      streams[index]!.lines.next().then((result) => ({ index, result })),
    );
  for (let i = 0; i < streams.length; i++) pull(i);
  while (pending.size) {
    const { index, result } = await Promise.race(pending.values());
    if (result.done) {
      pending.delete(index);
      continue;
    }
    pull(index);
    const entry = parseLogLine(streams[index]!.id, result.value);
    if (matchesCaseId(entry, caseId)) yield entry;
  }
}

/** The last lines of one container's log, for an error message. */
export async function containerLogTail(engine: EngineClient, containerId: string, lines: number): Promise<string> {
  const out: string[] = [];
  try {
    for await (const line of engine.logLines(containerId, { follow: false, tail: lines })) out.push(line);
  } catch {
    /* the container may be gone already */
  }
  return out.join('\n') || '(no log)';
}

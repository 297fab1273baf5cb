import { Box, Text } from 'ink';
import type { LogLine } from '../lab/runtime.js';
import type { Theme } from './theme.js';

function short(line: LogLine): string {
  const r = line.record;
  if (!r) return line.line;
  const extra =
    r.msg === 'request completed'
      ? ` ${r.method ?? ''} ${r.path ?? ''} ${r.status ?? ''} ${r.duration_ms ?? (typeof r.duration_s === 'number' ? r.duration_s * 1000 : '')}ms`
      : '';
  return `${String(r.case_id ?? '').slice(0, 20)} ${r.msg ?? ''}${extra}`;
}

/** The merged log of every service, newest last; `/` filters by service, replica or Case-ID. */
export function LogPanel({
  lines,
  filter,
  editing,
  focused,
  height,
  selected,
  showOwn,
  theme,
}: {
  lines: LogLine[];
  /** Whether w2meet's own probes are among the lines, said in the title with the key that changes it. */
  showOwn: boolean;
  filter: string;
  editing: boolean;
  focused: boolean;
  height: number;
  selected: number;
  theme: Theme;
}) {
  const shown = focused ? lines.slice(Math.max(0, selected - height + 1), Math.max(height, selected + 1)) : lines.slice(-height);
  const offset = focused ? Math.max(0, selected - height + 1) : Math.max(0, lines.length - height);
  return (
    <Box flexDirection="column" borderStyle="single" borderColor={focused ? theme.accent : undefined} paddingX={1}>
      <Text bold wrap="truncate">
        Logs{' '}
        {filter || editing ? (
          <Text color={theme.warn}>
            filter: {filter}
            {editing ? '▏' : ''}
          </Text>
        ) : (
          <Text dimColor={theme.dim}>
            (/ filter by service or Case-ID; enter on a line: its request; o: w2meet's probes {showOwn ? 'shown' : 'hidden'})
          </Text>
        )}
      </Text>
      {shown.map((l, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: log lines have no identity of their own; a line's place in the whole log is stable while it is shown
        <Text key={offset + i} wrap="truncate" inverse={focused && offset + i === selected}>
          <Text color={theme.accent}>{l.instance.padEnd(22).slice(0, 22)}</Text> {short(l)}
        </Text>
      ))}
    </Box>
  );
}

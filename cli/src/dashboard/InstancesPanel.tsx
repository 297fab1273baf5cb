import { Box, Text } from 'ink';
import type { InstanceStatus } from '../lab/runtime.js';
import type { Theme } from './theme.js';

export interface InstancesPanelProps {
  instances: InstanceStatus[];
  restarts: Record<string, number>;
  selected: number;
  focused: boolean;
  /** ms since the epoch, for uptimes; a prop so a rendering is reproducible. */
  now: number;
  theme: Theme;
  /** Small terminals: no title, so every instance still fits; the column names stay. */
  compact?: boolean;
}

/** Wide enough for the longest replica id and every column. */
export const INSTANCES_WIDTH = 74;

/** The columns, each with its width; a row and the names above it share them. */
const COLUMNS = { id: 26, state: 9, health: 10, uptime: 8, restarts: 9 } as const;

function uptime(startedAt: string | null, state: string, now: number): string {
  if (!startedAt || (state !== 'running' && state !== 'paused')) return '-';
  const s = Math.max(0, Math.floor((now - Date.parse(startedAt)) / 1000));
  return s < 60
    ? `${s}s`
    : s < 3600
      ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`
      : `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** Every component and replica: state, health, uptime, restarts, and how long it took to become healthy at start-up. */
export function InstancesPanel({ instances, restarts, selected, focused, now, theme, compact = false }: InstancesPanelProps) {
  const color = (i: InstanceStatus) =>
    i.state !== 'running' ? theme.bad : i.health === 'healthy' ? theme.ok : i.health === 'starting' ? theme.warn : theme.bad;
  return (
    <Box
      flexDirection="column"
      borderStyle="single"
      borderColor={focused ? theme.accent : undefined}
      paddingX={1}
      width={INSTANCES_WIDTH}
      flexShrink={0}
    >
      {compact ? null : (
        <Text bold wrap="truncate">
          Instances {focused ? '(s S r p k u: ? for keys)' : ''}
        </Text>
      )}
      <Text wrap="truncate" dimColor={theme.dim}>
        {'  instance'.padEnd(COLUMNS.id)}
        {'state'.padEnd(COLUMNS.state)}
        {'health'.padEnd(COLUMNS.health)}
        {'uptime'.padEnd(COLUMNS.uptime)}
        {'restarts'.padEnd(COLUMNS.restarts)}ready in
      </Text>
      {instances.map((i, n) => (
        <Text key={i.id} inverse={focused && n === selected} color={color(i)} wrap="truncate">
          {`${focused && n === selected ? '› ' : '  '}${i.id.padEnd(COLUMNS.id - 3).slice(0, COLUMNS.id - 3)} `}
          {i.state.padEnd(COLUMNS.state)}
          {i.health.padEnd(COLUMNS.health)}
          {uptime(i.startedAt, i.state, now).padEnd(COLUMNS.uptime)}
          {String(restarts[i.id] ?? 0).padEnd(COLUMNS.restarts)}
          {i.timeline.healthy !== undefined ? `${(i.timeline.healthy / 1000).toFixed(2)}s` : '-'}
        </Text>
      ))}
    </Box>
  );
}

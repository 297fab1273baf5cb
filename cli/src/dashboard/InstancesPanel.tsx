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
  /** Small terminals: no title and no column names, so every instance still fits. */
  compact?: boolean;
}

/** Wide enough for the longest replica id and every column. */
export const INSTANCES_WIDTH = 68;

function uptime(startedAt: string | null, state: string, now: number): string {
  if (!startedAt || (state !== 'running' && state !== 'paused')) return '-';
  const s = Math.max(0, Math.floor((now - Date.parse(startedAt)) / 1000));
  return s < 60
    ? `${s}s`
    : s < 3600
      ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`
      : `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** Every component and replica: state, health, uptime, restarts, and when it became healthy at start-up. */
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
      {compact ? null : (
        <Text wrap="truncate" dimColor={theme.dim}>
          {'  instance'.padEnd(26)}
          {'state'.padEnd(9)}
          {'health'.padEnd(10)}
          {'up'.padEnd(8)}
          {'rst'.padEnd(4)}healthy at
        </Text>
      )}
      {instances.map((i, n) => (
        <Text key={i.id} inverse={focused && n === selected} color={color(i)} wrap="truncate">
          {`${focused && n === selected ? '› ' : '  '}${i.id.padEnd(23).slice(0, 23)} `}
          {i.state.padEnd(9)}
          {i.health.padEnd(10)}
          {uptime(i.startedAt, i.state, now).padEnd(8)}
          {String(restarts[i.id] ?? 0).padEnd(4)}
          {i.timeline.healthy !== undefined ? `${(i.timeline.healthy / 1000).toFixed(2)}s` : '-'}
        </Text>
      ))}
    </Box>
  );
}

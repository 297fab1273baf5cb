import { Box, Text } from 'ink';
import { liveMedian, type ScenarioProgress } from './dashboard-state.js';
import type { Theme } from './theme.js';

/** The suite to pick from (enter runs one) and the running or last scenario's steps and checks. */
export function ScenarioPanel({
  names,
  selected,
  focused,
  progress,
  theme,
  compact = false,
}: {
  names: string[];
  selected: number;
  focused: boolean;
  progress: ScenarioProgress | null;
  theme: Theme;
  compact?: boolean;
}) {
  const steps = compact ? [] : (progress?.steps.slice(-4) ?? []);
  const failedChecks = progress?.checks.filter((c) => !c.passed) ?? [];
  const verdict = progress && progress.status !== 'running' ? progress.status : null;
  return (
    <Box
      flexDirection="column"
      borderStyle={compact ? undefined : 'single'}
      borderColor={focused ? theme.accent : undefined}
      paddingX={1}
      flexGrow={1}
    >
      <Text wrap="truncate">
        <Text bold color={focused ? theme.accent : undefined}>
          {compact ? 'run: ' : 'Scenarios: '}
        </Text>
        {names.map((n, i) => (focused && i === selected ? `[${n}]` : ` ${n} `)).join(' ')}
        {focused && !compact ? '  (enter runs it)' : ''}
      </Text>
      {progress ? (
        <Box flexDirection="column">
          <Text wrap="truncate">
            {progress.name}:{' '}
            <Text color={verdict === 'passed' ? theme.ok : verdict === 'failed' ? theme.bad : theme.warn}>{progress.status}</Text>
            {progress.current
              ? ` · ${progress.current} (${progress.samples} samples${liveMedian(progress) !== null ? `, p50 ${liveMedian(progress)!.toFixed(2)} ms` : ''})`
              : ''}
            {progress.checks.length ? ` · checks ${progress.checks.length - failedChecks.length}/${progress.checks.length} passed` : ''}
            {progress.reason ? ` · ${progress.reason}` : ''}
          </Text>
          {steps.map((s) => (
            <Text key={s.name} color={s.passed ? undefined : theme.bad} wrap="truncate">
              {s.passed ? '✓' : '✗'} {s.name} {s.summary}
            </Text>
          ))}
          {failedChecks.slice(0, 2).map((c) => (
            <Text key={c.metric} color={theme.bad} wrap="truncate">
              ✗ {c.metric} {c.actual ?? '-'} {c.op} {c.expected ?? '-'}
            </Text>
          ))}
        </Box>
      ) : null}
    </Box>
  );
}

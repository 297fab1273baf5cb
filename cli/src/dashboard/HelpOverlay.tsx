import { Box, Text } from 'ink';

export const KEYS: Array<[string, string]> = [
  ['tab', 'next panel (instances, scenarios, logs)'],
  ['↑ ↓ / j k', 'move the selection'],
  ['s / S', 'stop / start the selected instance'],
  ['r', 'restart it'],
  ['p', 'pause it (p again: unpause)'],
  ['k', 'kill it'],
  ['u', 'up-all: start every stopped instance, unpause every paused one'],
  ['enter', 'run the selected scenario; on a log line, show its request (filter by its Case-ID)'],
  ['l', 'focus the logs'],
  ['/', 'filter the logs (enter keeps it, esc clears it)'],
  ['?', 'this help (any key closes it)'],
  ['q', 'quit'],
];

export function HelpOverlay() {
  return (
    <Box flexDirection="column" borderStyle="double" paddingX={1}>
      <Text bold>Keys</Text>
      {KEYS.map(([key, what]) => (
        <Text key={key}>
          {key.padEnd(12)} {what}
        </Text>
      ))}
    </Box>
  );
}

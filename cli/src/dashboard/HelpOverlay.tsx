import { Box, Text } from 'ink';

export const KEYS: Array<[string, string]> = [
  ['tab', 'next panel (instances, scenarios, logs)'],
  ['↑ ↓', 'move the selection'],
  ['s / S', 'stop / start the selected instance'],
  ['r', 'restart it'],
  ['p', 'pause it (p again: unpause)'],
  ['k', 'kill it'],
  ['u', 'up-all: start what is stopped, unpause what is paused'],
  ['enter', 'run the selected scenario; on a log line, show its request'],
  ['l', 'focus the logs'],
  ['/', 'filter the logs (enter keeps it, esc clears it)'],
  ['o', "show or hide w2meet's own probes in the logs"],
  ['?', 'this help'],
  ['q', 'quit'],
];

const KEY_WIDTH = 7;
const TITLE = 'Keys (any key closes this)';
/** The overlay's rows: its lines, a title and two borders. */
export const HELP_HEIGHT = KEYS.length + 3;

/**
 * The keys, drawn over the panels rather than above them, so the frame keeps the screen's height at
 * every size (80x24 upward). Every row is written out to its full width: the panels' text beneath
 * does not show through.
 */
export function HelpOverlay({ columns }: { columns: number }) {
  const longest = Math.max(TITLE.length, ...KEYS.map(([, what]) => KEY_WIDTH + 1 + what.length));
  const inner = Math.min(longest + 2, columns - 4);
  const row = (text: string) => ` ${text}`.padEnd(inner).slice(0, inner);
  return (
    <Box
      position="absolute"
      marginTop={1}
      marginLeft={Math.max(0, Math.floor((columns - inner - 2) / 2))}
      flexDirection="column"
      borderStyle="double"
      width={inner + 2}
    >
      <Text bold>{row(TITLE)}</Text>
      {KEYS.map(([key, what]) => (
        <Text key={key}>{row(`${key.padEnd(KEY_WIDTH)} ${what}`)}</Text>
      ))}
    </Box>
  );
}

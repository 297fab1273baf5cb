import { Text } from 'ink';

const BARS = '▁▂▃▄▅▆▇█';

/** Values as one line of block characters, scaled to their own maximum; zero is the lowest bar. */
export function sparkline(values: number[], width: number): string {
  const shown = values.slice(-width);
  const max = Math.max(...shown, 1);
  return shown
    .map((v) => BARS[Math.min(BARS.length - 1, Math.round((v / max) * (BARS.length - 1)))])
    .join('')
    .padStart(width, ' ');
}

export function Sparkline({ values, width, color }: { values: number[]; width: number; color?: string }) {
  return <Text color={color}>{sparkline(values, width)}</Text>;
}

import { Box, Text } from 'ink';
import type { QueueFigures } from './dashboard-state.js';
import { Sparkline } from './Sparkline.js';
import type { Theme } from './theme.js';
import { RATE_WINDOW, type TrafficSnapshot } from './traffic-window.js';

export const SERVICES = ['gateway', 'user-service', 'availability-service', 'suggestion-service', 'worker-service'];
const fmt = (x: number | null, unit = '') => (x === null ? '-' : `${x >= 100 ? x.toFixed(0) : x.toFixed(1)}${unit}`);

/** Two lines for small terminals: the gateway's traffic (req/s over the last few seconds), the cache and the queue. */
export function TrafficLine({
  traffic,
  queue,
  theme,
  sparkWidth,
}: {
  traffic: TrafficSnapshot;
  queue: QueueFigures;
  theme: Theme;
  sparkWidth: number;
}) {
  const g = traffic.services.gateway;
  return (
    <Box flexDirection="column" paddingX={1}>
      <Text wrap="truncate">
        gateway <Sparkline values={g?.rps ?? []} width={sparkWidth} color={theme.accent} /> {fmt(g?.rate ?? 0)} req/s · p50{' '}
        {fmt(g?.p50 ?? null, 'ms')} · p99 {fmt(g?.p99 ?? null, 'ms')}
      </Text>
      <Text wrap="truncate">
        cache hits {traffic.cacheHitRatio === null ? '-' : `${(traffic.cacheHitRatio * 100).toFixed(0)}%`} · queue depth{' '}
        {queue.depth ?? '-'} · consumers {queue.consumers ?? '-'} · jobs/s {fmt(queue.completedPerS)}
      </Text>
    </Box>
  );
}

/** Requests per second with a 30-second sparkline, p50/p99 per service, cache hit ratio, the queue. */
export function TrafficPanel({
  traffic,
  queue,
  theme,
  sparkWidth,
}: {
  traffic: TrafficSnapshot;
  queue: QueueFigures;
  theme: Theme;
  sparkWidth: number;
}) {
  return (
    <Box flexDirection="column" borderStyle="single" paddingX={1} flexGrow={1}>
      <Text bold wrap="truncate">
        Traffic <Text dimColor={theme.dim}>(from the lab's logs; a bar a second; req/s over {RATE_WINDOW} s)</Text>
      </Text>
      <Text wrap="truncate" dimColor={theme.dim}>
        {'service'.padEnd(21)}
        {''.padEnd(sparkWidth + 1)}
        {'req/s'.padStart(6)}
        {'p50'.padStart(8)}
        {'p99'.padStart(8)}
      </Text>
      {SERVICES.map((name) => {
        const t = traffic.services[name];
        return (
          <Text key={name} wrap="truncate">
            {name.padEnd(21)}
            <Sparkline values={t?.rps ?? []} width={sparkWidth} color={theme.accent} /> {fmt(t?.rate ?? 0).padStart(5)}
            {fmt(t?.p50 ?? null, 'ms').padStart(8)}
            {fmt(t?.p99 ?? null, 'ms').padStart(8)}
          </Text>
        );
      })}
      <Text wrap="truncate">
        cache hits {traffic.cacheHitRatio === null ? '-' : `${(traffic.cacheHitRatio * 100).toFixed(0)}%`} · queue depth{' '}
        {queue.depth ?? '-'} · consumers {queue.consumers ?? '-'} · jobs/s {fmt(queue.completedPerS)}
      </Text>
    </Box>
  );
}

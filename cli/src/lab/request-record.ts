/**
 * What a `request completed` log record says. The services and the gateway both write one per
 * request, in different units; the trace step, the per-hop breakdown and the dashboard's traffic
 * panel all read them the same way through here.
 */

/** `availability-service-2` → `availability-service`. */
export function componentOfInstance(instance: string): string {
  return instance.replace(/-\d+$/, '');
}

/** A hop's own time in ms from its `request completed` record: the services log ms, nginx seconds. */
export function hopMs(record: Record<string, unknown>): number | undefined {
  if (typeof record.duration_ms === 'number') return record.duration_ms;
  if (typeof record.duration_s === 'number') return record.duration_s * 1000;
  return undefined;
}

import type { LabStatus } from '../lab/runtime.js';

/** A plain left-aligned text table; the last column is not padded. */
export function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, col) => Math.max(...rows.map((r) => (r[col] ?? '').length)));
  return rows
    .map((r) =>
      r
        .map((cell, col) => (col === r.length - 1 ? cell : cell.padEnd(widths[col]!)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

function seconds(ms: number | undefined): string {
  return ms === undefined ? '-' : `${(ms / 1000).toFixed(2)}s`;
}

export function formatStatus(status: LabStatus): string {
  const rows = [['COMPONENT', 'KIND', 'STATE', 'HEALTH', 'ADDRESS', 'PID', 'STARTED', 'HEALTHY']];
  for (const i of status.instances) {
    rows.push([
      i.id,
      i.kind,
      i.state,
      i.health,
      i.address,
      i.pid ? String(i.pid) : '-',
      seconds(i.timeline.started),
      seconds(i.timeline.healthy),
    ]);
  }
  const via = status.gatewayVia ? `\n${status.gatewayVia}` : '';
  return `lab ${status.lab} (${status.runtime} runtime), gateway ${status.gatewayUrl}${via}\n\n${table(rows)}`;
}

/** One thing an instance waited for before it started: another instance healthy, or only started. */
export interface Wait {
  id: string;
  until: 'healthy' | 'started';
}

/**
 * The chain the start-up waited on: from the instance that became healthy last, back through what
 * it waited for that was ready last (healthy, or only started), to the start.
 */
export function criticalPath(status: LabStatus, waitsOf: (id: string) => Wait[]): string {
  const byId = new Map(status.instances.map((i) => [i.id, i]));
  const readyAt = (w: Wait) => byId.get(w.id)?.timeline[w.until];
  const last = [...status.instances].sort((a, b) => (b.timeline.healthy ?? 0) - (a.timeline.healthy ?? 0))[0];
  let current: Wait | undefined = last && { id: last.id, until: 'healthy' };
  const chain: string[] = [];
  while (current && readyAt(current) !== undefined) {
    chain.unshift(`${current.id}${current.until === 'started' ? ' started' : ''} ${seconds(readyAt(current))}`);
    current = waitsOf(current.id)
      .filter((w) => readyAt(w) !== undefined)
      .sort((a, b) => readyAt(b)! - readyAt(a)!)[0];
  }
  return chain.length ? chain.join(' → ') : '-';
}

/** What each instance waited for, as the runtime reports it. */
export function dependenciesOf(status: LabStatus): (id: string) => Wait[] {
  const byId = new Map(status.instances.map((i) => [i.id, i]));
  return (id) => {
    const instance = byId.get(id);
    if (!instance) return [];
    return [
      ...instance.dependsOn.map((d): Wait => ({ id: d, until: 'healthy' })),
      ...instance.startsAfter.map((d): Wait => ({ id: d, until: 'started' })),
    ];
  };
}

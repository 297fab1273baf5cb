import type { LabStatus } from '../lab/runtime.js';

/** A plain left-aligned text table; the last column is not padded. */
export function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, col) => Math.max(...rows.map((r) => (r[col] ?? '').length)));
  return rows
    .map((r) => r.map((cell, col) => (col === r.length - 1 ? cell : cell.padEnd(widths[col]!))).join('  ').trimEnd())
    .join('\n');
}

function seconds(ms: number | undefined): string {
  return ms === undefined ? '-' : `${(ms / 1000).toFixed(2)}s`;
}

export function formatStatus(status: LabStatus): string {
  const rows = [['COMPONENT', 'KIND', 'STATE', 'HEALTH', 'ADDRESS', 'PID', 'HEALTHY AT']];
  for (const i of status.instances) {
    rows.push([i.id, i.kind, i.state, i.health, i.address, i.pid ? String(i.pid) : '-', seconds(i.timeline.healthy)]);
  }
  return `lab ${status.lab} (${status.runtime} runtime), gateway ${status.gatewayUrl}\n\n${table(rows)}`;
}

/** The instance whose healthy moment came last: what the start-up waited for. */
export function criticalPath(status: LabStatus): string {
  const last = [...status.instances].sort((a, b) => (b.timeline.healthy ?? 0) - (a.timeline.healthy ?? 0))[0];
  return last ? `${last.id} at ${seconds(last.timeline.healthy)}` : '-';
}

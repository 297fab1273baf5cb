import { buildLabSpec } from '../lab/spec.js';
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
  const rows = [['COMPONENT', 'KIND', 'STATE', 'HEALTH', 'ADDRESS', 'PID', 'STARTED', 'HEALTHY']];
  for (const i of status.instances) {
    rows.push([i.id, i.kind, i.state, i.health, i.address, i.pid ? String(i.pid) : '-', seconds(i.timeline.started), seconds(i.timeline.healthy)]);
  }
  return `lab ${status.lab} (${status.runtime} runtime), gateway ${status.gatewayUrl}\n\n${table(rows)}`;
}

/**
 * The chain the start-up waited on: from the instance that became healthy last, back through the
 * dependency that became healthy last before it started, to the start.
 */
export function criticalPath(status: LabStatus, dependsOn: (id: string) => string[]): string {
  const byId = new Map(status.instances.map((i) => [i.id, i]));
  let current = [...status.instances].sort((a, b) => (b.timeline.healthy ?? 0) - (a.timeline.healthy ?? 0))[0];
  const chain: string[] = [];
  while (current && current.timeline.healthy !== undefined) {
    chain.unshift(`${current.id} ${seconds(current.timeline.healthy)}`);
    const deps = dependsOn(current.id).map((d) => byId.get(d)).filter((d): d is NonNullable<typeof d> => !!d);
    current = deps.sort((a, b) => (b.timeline.healthy ?? 0) - (a.timeline.healthy ?? 0))[0];
  }
  return chain.length ? chain.join(' → ') : '-';
}

/** Which instances each instance waited for, from the lab spec's component dependencies. */
export function dependenciesOf(status: LabStatus): (id: string) => string[] {
  const spec = buildLabSpec({ postgresUser: '', postgresPassword: '', postgresDb: '', rabbitUser: '', rabbitPassword: '' });
  return (id) => {
    const instance = status.instances.find((i) => i.id === id);
    if (!instance) return [];
    const names: string[] = [...(spec.components.find((c) => c.name === instance.name)?.dependsOn ?? [])];
    if (instance.name === 'rabbitmq') names.push('epmd');
    return status.instances.filter((i) => names.includes(i.name)).map((i) => i.id);
  };
}

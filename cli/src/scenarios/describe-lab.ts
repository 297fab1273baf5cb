import { cpus, release, totalmem } from 'node:os';
import type { LabStatus } from '../lab/runtime.js';
import { VERSION } from '../version.js';
import type { EngineTarget } from './engine-target.js';
import type { LabDescription } from './run-results.js';

/** What the figures were measured on, so nobody mistakes them for another machine's. */
export function describeLab(target: EngineTarget, status: LabStatus | null): LabDescription {
  const cpu = cpus();
  const host = {
    platform: process.platform,
    release: release(),
    cpus: cpu.length,
    cpuModel: cpu[0]?.model.trim() ?? 'unknown',
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
  };
  const p = target.profile;
  const logVia = (via: 'header' | 'log' | 'none') => (via === 'log' && !target.logs ? 'none' : via);
  const profile: LabDescription['profile'] = {
    name: p.name,
    source: p.source,
    cache: logVia(p.cache.via),
    serverTime: logVia(p.serverTime.via),
    instance: p.instance.via === 'header' ? 'header' : 'none',
    logs: target.logs?.describe ?? null,
    absentRoutes: p.routes.filter((r) => r.servedAt === undefined).map((r) => r.route),
  };
  if (!target.lab || !status || status.runtime === 'compose') {
    const project = target.lab && status?.runtime === 'compose' ? { project: target.lab.name } : {};
    return { kind: 'url', gatewayUrl: target.gatewayUrl, ...project, profile, w2meetVersion: VERSION, host };
  }
  const replicas: Record<string, number> = {};
  for (const i of status.instances) replicas[i.name] = (replicas[i.name] ?? 0) + 1;
  return {
    kind: 'lab',
    gatewayUrl: target.gatewayUrl,
    lab: status.lab,
    runtime: status.runtime,
    ...(status.nodes ? { nodes: status.nodes } : {}),
    replicas,
    instances: status.instances.map((i) => ({
      id: i.id,
      state: i.state,
      health: i.health,
      ...(i.image ? { image: i.image } : {}),
      address: i.address,
      started: i.timeline.started,
      healthy: i.timeline.healthy,
      dependsOn: i.dependsOn,
      startsAfter: i.startsAfter,
    })),
    profile,
    w2meetVersion: VERSION,
    host,
  };
}

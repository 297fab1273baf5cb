import { componentFor } from '../components/catalogue.js';
import { LABEL_COMPONENT, LABEL_INSTANCE, LABEL_REPLICA } from '../docker/labels.js';
import { readRecord } from '../docker/lab-record.js';
import { capGatewayAccessLog } from '../docker/request-logs.js';
import { volumeCredentials } from '../docker/volume-credentials.js';
import { waitsAmong } from '../lifecycle/waits-among.js';
import type { ComponentName } from '../spec.js';
import { edgeRoutes } from './edge.js';
import { SETTLE_JOB } from './name-settle.js';
import { PULL_JOB } from './pull-on-nodes.js';
import { FAULT_JOB } from './remote-fault.js';
import { serviceName, type SwarmInstance } from './service-plan.js';
import type { SwarmContext, SwarmLab } from './swarm-context.js';

/** One-off services of the lab's that are none of its instances. */
const JOBS = new Set([FAULT_JOB, PULL_JOB, SETTLE_JOB]);

/** The lab as its services, its record and its volumes' credentials say it is; null when none of its services is left. */
export async function loadSwarmLab(ctx: SwarmContext, lab: string): Promise<SwarmLab | null> {
  // A fault job (remote-fault.ts) carries the lab's label for `down`, but is no instance of it.
  const services = (await ctx.swarm.labServices(lab).catch(() => [])).filter((s) => !JOBS.has(s.Spec.Labels?.[LABEL_COMPONENT] ?? ''));
  if (!services.length) return null;
  const record = await readRecord(lab, ctx.options.env).catch(() => null);
  if (record?.requestLogs) await capGatewayAccessLog(record.requestLogs);
  const secrets = await volumeCredentials(ctx.engine, lab, ctx.options.env).catch(() => null);
  const instances = waitsAmong(
    services
      .map((s): Omit<SwarmInstance, 'dependsOn' | 'startsAfter'> => {
        const labels = s.Spec.Labels ?? {};
        const id = labels[LABEL_INSTANCE]!;
        return {
          id,
          name: labels[LABEL_COMPONENT] as ComponentName,
          kind: componentFor(labels[LABEL_COMPONENT]!).kind,
          replica: Number(labels[LABEL_REPLICA] ?? 1),
          serviceId: s.ID,
          serviceName: s.Spec.Name ?? serviceName(lab, id),
          service: s.Spec,
          secrets: [],
          containerName: s.Spec.Name ?? '',
          options: {},
          timeline: record?.timeline[id] ?? {},
        };
      })
      .sort((a, b) => a.id.localeCompare(b.id)),
  );
  return { name: lab, createdAt: record?.createdAt ?? '', secrets, instances, gatewayUrl: await edgeGatewayUrl(ctx, lab) };
}

/** The gateway's address on this machine: the edge container's first route. */
async function edgeGatewayUrl(ctx: SwarmContext, lab: string): Promise<string> {
  const port = (await edgeRoutes(ctx.engine, lab, false))[0]?.hostPort;
  return port ? `http://127.0.0.1:${port}` : '';
}

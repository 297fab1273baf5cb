import type { DriverLab } from '../lifecycle/driver.js';
import { completeSecrets } from '../secrets.js';
import { capLogFile } from '../cap-log-file.js';
import { LOG_CAP_MB } from './plan.js';
import type { Companion, ProcessInstance, ProcessLabState } from './state.js';

/**
 * nginx writes the gateway's access log itself and cannot cap it, so w2meet does, whenever it
 * looks at the lab (status, logs, the dashboard every few seconds, every scenario step).
 */
export async function capGatewayLog(state: ProcessLabState): Promise<void> {
  for (const i of state.instances) for (const f of i.extraLogFiles ?? []) await capLogFile(f, LOG_CAP_MB * 1024 * 1024);
}

/**
 * The lab as the lifecycle sees it, from its state file. A state written before companions
 * existed lists epmd as an instance of its own: it becomes RabbitMQ's companion again, so that
 * `down` still stops it.
 */
export function labFromState(state: ProcessLabState): DriverLab<ProcessInstance> {
  const legacy = state.instances.filter((i) => (i.name as string) === 'epmd') as unknown as Companion[];
  const instances = state.instances.filter((i) => (i.name as string) !== 'epmd');
  for (const i of instances) {
    i.companions ??= [];
    if (i.name === 'rabbitmq') i.companions.push(...legacy.filter((c) => !i.companions.some((own) => own.id === c.id)));
    i.dependsOn = i.dependsOn.filter((d) => d !== 'epmd');
  }
  state.instances = instances;
  return {
    name: state.lab,
    createdAt: state.createdAt,
    gatewayUrl: state.gatewayUrl,
    secrets: completeSecrets(state.secrets),
    instances,
  };
}

import { NoLabError, TargetError } from '../errors.js';
import type { LabStatus, Runtime } from '../lab/runtime.js';
import type { Capability } from './scenario-types.js';

/** What the engine runs against: an HTTP endpoint, and when it is a w2meet lab, its runtime too. */
export interface EngineTarget {
  gatewayUrl: string;
  capabilities: ReadonlySet<Capability>;
  /** Set when the target is a lab: faults, logs and status go through its runtime. */
  lab?: {
    name: string;
    runtime: Runtime;
    /** The broker, for counting completion events; unset when it cannot be reached from here. */
    amqpUrl?: string;
    /** user-service's database, for faults from the inside (a renamed table). */
    pgDsn?: string;
  };
}

/** Any deployment of the API: only scenarios that need nothing but HTTP can run. */
export function urlTarget(url: string): EngineTarget {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new TargetError(`--target "${url}" is not a URL`);
  }
  if (!/^https?:$/.test(parsed.protocol)) {
    throw new TargetError(`--target "${url}" is not an http(s) URL`);
  }
  return { gatewayUrl: parsed.origin, capabilities: new Set() };
}

/** A running lab: every capability, the broker reached at the address its status reports. */
export async function labTarget(lab: string, runtime: Runtime): Promise<{ target: EngineTarget; status: LabStatus }> {
  const status = await runtime.status(lab);
  if (!status) {
    // The name quoted, as this message has always shown it.
    throw new NoLabError(`"${lab}"`, 'run `w2meet up` first, or pass --target URL to measure another deployment');
  }
  const secrets = await runtime.credentials(lab).catch(() => null);
  // Infrastructure is reached at the address status reports: a loopback port for processes, the
  // container's address on the lab network for Docker (routable from a Linux host).
  const address = (name: string) => {
    const a = status.instances.find((i) => i.name === name)?.address;
    return secrets && a && a !== '-' ? a : undefined;
  };
  const rabbit = address('rabbitmq');
  const postgres = address('postgres');
  const amqpUrl = rabbit && `amqp://${secrets!.rabbitUser}:${encodeURIComponent(secrets!.rabbitPassword)}@${rabbit}`;
  const pgDsn =
    postgres && `postgres://${secrets!.postgresUser}:${encodeURIComponent(secrets!.postgresPassword)}@${postgres}/${secrets!.postgresDb}`;
  const capabilities = new Set<Capability>(['faults', 'logs']);
  if (amqpUrl) capabilities.add('queue');
  if (pgDsn) capabilities.add('database');
  return { target: { gatewayUrl: status.gatewayUrl, capabilities, lab: { name: lab, runtime, amqpUrl, pgDsn } }, status };
}

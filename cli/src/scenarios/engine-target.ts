import { NoLabError, TargetError } from '../errors.js';
import type { LabStatus, Runtime } from '../lab/runtime.js';
import type { LabSecrets } from '../lab/spec.js';
import { dockerClient } from '../lab/docker/engine.js';
import { dockerodeEngine } from '../lab/docker/engine-client.js';
import { componentFor } from '../lab/components/catalogue.js';
import { probeOnce } from '../lab/wait/probe-for.js';
import type { ProbeSpec } from '../lab/wait/probe-spec.js';
import { containerLogSource } from '../profiles/container-log-source.js';
import { fileLogSource, runtimeLogSource, type LogSource } from '../profiles/log-source.js';
import type { TargetProfile } from '../profiles/profile-types.js';
import type { Clock } from './clock.js';
import { HttpTarget } from './http-exchange.js';
import { shapeOf, type HttpShape } from './http-shape.js';
import type { Capability } from './scenario-types.js';

/** What the engine runs against: an HTTP endpoint, and when it is a w2meet lab, its runtime too. */
export interface EngineTarget {
  /** The origin requests go to; `basePath` and the profile's prefix go before every path. */
  gatewayUrl: string;
  profile: TargetProfile;
  shape: HttpShape;
  capabilities: ReadonlySet<Capability>;
  /** Where its log lines are read (tracing, and what its headers do not say); unset when nowhere. */
  logs?: LogSource;
  /** Set when faults and status reach it: a w2meet lab's runtime, or a compose project's. */
  lab?: {
    name: string;
    runtime: Runtime;
    /** The broker, for counting completion events; unset when it cannot be reached from here. */
    amqpUrl?: string;
    /** The broker's URL as the lab reports it now: after a restart it can be at another address. */
    currentAmqpUrl?: () => Promise<string>;
    /** user-service's database, for faults from the inside (a renamed table). */
    pgDsn?: string;
  };
}

/** An HTTP client to the target, shaped by its profile. */
export function httpFor(target: EngineTarget, clock: Clock, connections: number): HttpTarget {
  return new HttpTarget(target.gatewayUrl, clock, connections, undefined, target.shape);
}

/** `http://host:port/api/` → its origin and the path before every request (`/api`). */
export function parseTargetUrl(url: string): { origin: string; basePath: string } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new TargetError(`--target "${url}" is not a URL`);
  }
  if (!/^https?:$/.test(parsed.protocol)) {
    throw new TargetError(`--target "${url}" is not an http(s) URL`);
  }
  if (parsed.search || parsed.hash) throw new TargetError(`--target "${url}" has a query or fragment; give the gateway's base URL`);
  return { origin: parsed.origin, basePath: parsed.pathname.replace(/\/+$/, '') };
}

/** Logs a profile names (files, or containers by label or name); a runtime's own are added by the caller. */
function profileLogs(profile: TargetProfile): LogSource | undefined {
  const { from, files, containers } = profile.logs;
  if (from === 'files' && Object.keys(files).length) return fileLogSource(files);
  if (from === 'containers' && containers) return containerLogSource(dockerodeEngine(dockerClient(), process.env), containers);
  return undefined;
}

/** Any deployment of the API: HTTP, and the logs its profile names as files. */
export function urlTarget(url: string, profile: TargetProfile): EngineTarget {
  const { origin, basePath } = parseTargetUrl(url);
  const logs = profileLogs(profile);
  const capabilities = new Set<Capability>(logs ? ['logs'] : []);
  return { gatewayUrl: origin, profile, shape: shapeOf(profile, basePath), capabilities, logs };
}

/**
 * A deployment w2meet reaches through a runtime other than its own labs (a compose project):
 * faults, status and its containers' logs.
 */
export function projectTarget(url: string, profile: TargetProfile, project: string, runtime: Runtime): EngineTarget {
  const base = urlTarget(url, profile);
  const logs =
    profile.logs.from === 'none'
      ? undefined
      : (base.logs ?? runtimeLogSource(runtime, project, `the containers of compose project ${project}`));
  return { ...base, capabilities: offered(profile, ['faults'], logs), logs, lab: { name: project, runtime } };
}

/** What a target offers, less what its profile turns off (`faults: none`, `logs.from: none`). */
function offered(profile: TargetProfile, runtime: Capability[], logs: LogSource | undefined): Set<Capability> {
  const out = new Set<Capability>(runtime.filter((c) => c !== 'faults' || profile.faults !== 'none'));
  if (logs) out.add('logs');
  return out;
}

/** A running lab: every capability, the broker reached at the address its status reports. */
export async function labTarget(
  lab: string,
  runtime: Runtime,
  profile: TargetProfile,
): Promise<{ target: EngineTarget; status: LabStatus }> {
  const status = await runtime.status(lab);
  if (!status) {
    // The name quoted, as this message has always shown it.
    throw new NoLabError(`"${lab}"`, 'run `w2meet up` first, or pass --target URL to measure another deployment');
  }
  const secrets = await runtime.credentials(lab).catch(() => null);
  if (status.gatewayVia) await requireTunnel(lab, status, secrets);
  // Infrastructure is reached at the address status reports: a loopback port for processes, the
  // container's address on the lab network for Docker (routable from a Linux host).
  const address = (name: string) => {
    const a = status.instances.find((i) => i.name === name)?.address;
    // host:port, not what status says of one it cannot reach ("task on node …").
    return secrets && a && /^\S+:\d+$/.test(a) ? a : undefined;
  };
  const rabbit = address('rabbitmq');
  const postgres = address('postgres');
  const amqpUrl = rabbit && `amqp://${secrets!.rabbitUser}:${encodeURIComponent(secrets!.rabbitPassword)}@${rabbit}`;
  const pgDsn =
    postgres && `postgres://${secrets!.postgresUser}:${encodeURIComponent(secrets!.postgresPassword)}@${postgres}/${secrets!.postgresDb}`;
  const logs = profile.logs.from === 'none' ? undefined : (profileLogs(profile) ?? runtimeLogSource(runtime, lab, `lab ${lab}'s logs`));
  const capabilities = offered(profile, ['faults', ...(amqpUrl ? ['queue' as const] : []), ...(pgDsn ? ['database' as const] : [])], logs);
  return {
    target: {
      gatewayUrl: status.gatewayUrl,
      profile,
      shape: shapeOf(profile, ''),
      capabilities,
      logs,
      lab: { name: lab, runtime, amqpUrl, pgDsn, ...(amqpUrl ? { currentAmqpUrl: () => currentAmqpUrl(runtime, lab, secrets!) } : {}) },
    },
    status,
  };
}

/**
 * A lab whose gateway (and, with --expose-infra, infrastructure) listens on another machine's
 * 127.0.0.1 is measured through the tunnel its status names: each such address must answer here
 * in its own protocol (the gateway's /health, Postgres's and RabbitMQ's logins, Redis's PING), or
 * the run stops before its first step, naming what does not and the tunnel to open. An open port
 * alone proves little: `ssh -L` accepts a connection here even when nothing answers at the far end.
 */
async function requireTunnel(lab: string, status: LabStatus, secrets: LabSecrets | null): Promise<void> {
  const tunnelled = [
    { name: 'gateway', address: new URL(status.gatewayUrl).host },
    ...status.instances.filter((i) => i.kind === 'infra' && /^127\.0\.0\.1:\d+$/.test(i.address)),
  ];
  const silent: string[] = [];
  for (const { name, address } of tunnelled) {
    const [host, port] = address.split(':');
    const at = { host: host!, port: Number(port) };
    // Without the lab's credentials (not readable here) an open port is all that can be asked of the infrastructure.
    const spec: ProbeSpec = secrets || name === 'gateway' ? componentFor(name).probe(at, secrets!) : { kind: 'tcp', ...at };
    if (!(await probeOnce(spec, 3000).catch(() => false))) silent.push(`${name} ${address}`);
  }
  if (silent.length)
    throw new TargetError(`lab ${lab}'s ${silent.join(', ')} ${silent.length > 1 ? 'do' : 'does'} not answer here`, status.gatewayVia);
}

/** The lab's broker URL from its status now (a restarted task can have another address). */
async function currentAmqpUrl(runtime: Runtime, lab: string, secrets: LabSecrets): Promise<string> {
  const address = (await runtime.status(lab))?.instances.find((i) => i.name === 'rabbitmq')?.address;
  if (!address || address === '-') throw new Error("the lab's RabbitMQ has no address now");
  return `amqp://${secrets.rabbitUser}:${encodeURIComponent(secrets.rabbitPassword)}@${address}`;
}

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PrerequisiteError, UsageError } from '../errors.js';
import { DockerRuntime } from './docker/docker-runtime.js';
import { dockerAddress, dockerClient, pingDocker } from './docker/engine.js';
import type { ImageMode } from './docker/lab-images.js';
import { labFilter } from './docker/labels.js';
import { findBinaries } from './process/binaries.js';
import { ProcessRuntime } from './process/process-runtime.js';
import { SwarmRuntime } from './swarm/swarm-runtime.js';
import { checkLabName, labDir } from '../shared/paths.js';

export { checkLabName };
import { generateSecrets } from './secrets.js';
import { buildLabSpec, MAX_REPLICAS, SERVICES, type LabOptions, type LabSpec, type ServiceName } from './spec.js';
import type { Runtime } from './runtime.js';

export const RUNTIME_CHOICES = ['auto', 'process', 'docker', 'swarm'] as const;
export type RuntimeChoice = (typeof RUNTIME_CHOICES)[number];

export interface RuntimeOptions {
  images?: ImageMode;
  registry?: string;
  exposeInfra?: boolean;
  env?: NodeJS.ProcessEnv;
  /** Swarm: pin each component's replicas to different nodes (see swarm/spread.ts). */
  spread?: boolean;
  /** Told, in one line, which runtime `auto` chose and why. */
  onChoice?: (line: string) => void;
}

/**
 * The runtime to start a lab on. `auto`: Docker when a daemon answers, else local processes when
 * their programs are installed, else a pointer to `w2meet doctor`.
 */
export async function runtimeForUp(choice: RuntimeChoice, options: RuntimeOptions = {}): Promise<Runtime> {
  const env = options.env ?? process.env;
  const docker = () => new DockerRuntime({ env, images: options.images, registry: options.registry, exposeInfra: options.exposeInfra });
  if (choice === 'docker') return docker();
  if (choice === 'process') return new ProcessRuntime({ env });
  if (choice === 'swarm')
    return new SwarmRuntime({
      env,
      images: options.images,
      registry: options.registry,
      exposeInfra: options.exposeInfra,
      spread: options.spread,
    });
  const version = await pingDocker(dockerClient(env));
  if (version) {
    options.onChoice?.(`runtime: docker (Docker Engine ${version} answers at ${dockerAddress(env)})`);
    return docker();
  }
  const binaries = findBinaries(env);
  if (Object.values(binaries).every(Boolean)) {
    options.onChoice?.(`runtime: process (no Docker Engine answers at ${dockerAddress(env)}; \`w2meet doctor --fix\` as root starts one)`);
    return new ProcessRuntime({ env });
  }
  throw new PrerequisiteError("no Docker Engine answers and the process runtime's programs are not all installed");
}

/**
 * The runtime that holds an existing lab: the process runtime when it has state for the lab,
 * else Docker when a daemon answers and has the lab's containers, else the process runtime
 * (which then reports that no such lab is up).
 */
export async function runtimeForLab(lab: string, env: NodeJS.ProcessEnv = process.env): Promise<Runtime> {
  if (existsSync(join(labDir(lab, env), 'state.json'))) return new ProcessRuntime({ env });
  const client = dockerClient(env);
  if (await pingDocker(client)) {
    // A swarm lab's tasks are containers of the lab too: its services are looked for first.
    const services = await client.listServices({ filters: labFilter(lab) }).catch(() => []);
    if (services.length) return new SwarmRuntime({ env, docker: client });
    const containers = await client.listContainers({ all: true, filters: labFilter(lab) });
    if (containers.length) return new DockerRuntime({ env, docker: client });
  }
  return new ProcessRuntime({ env });
}

/** `down` clears a lab wherever it left anything: its processes, its swarm services and its labelled Docker objects. */
export async function downEverywhere(lab: string, volumes: boolean, env: NodeJS.ProcessEnv = process.env): Promise<string[]> {
  const fromProcesses = await new ProcessRuntime({ env }).down(lab, { volumes });
  // Swarm first: its tasks' containers are the lab's too, and only removing its services ends them.
  const fromSwarm = await new SwarmRuntime({ env }).down(lab, { volumes });
  const fromDocker = await new DockerRuntime({ env }).down(lab, { volumes });
  return [...fromProcesses.stopped, ...fromSwarm.stopped, ...fromDocker.stopped];
}

/** `availability=3,suggestion-service=1` → replica counts; short names without `-service` are accepted. */
export function parseReplicas(text: string | undefined): Partial<Record<ServiceName, number>> {
  const out: Partial<Record<ServiceName, number>> = {};
  if (!text) return out;
  for (const part of text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const [rawName, rawCount] = part.split('=');
    const name = (SERVICES as readonly string[]).includes(rawName ?? '') ? rawName : `${rawName}-service`;
    if (!(SERVICES as readonly string[]).includes(name!)) {
      throw new UsageError(`--replicas: "${rawName}" is not a service`, `services: ${SERVICES.join(', ')}`);
    }
    const count = Number(rawCount);
    if (!Number.isInteger(count) || count < 1 || count > MAX_REPLICAS) {
      throw new UsageError(`--replicas: ${name} needs a whole number from 1 to ${MAX_REPLICAS}, got "${rawCount ?? ''}"`);
    }
    out[name as ServiceName] = count;
  }
  return out;
}

/**
 * The spec of a lab on a runtime, with the credentials its data already has there (or new ones,
 * which that runtime's `up` keeps with the data it makes).
 */
export async function labSpec(options: LabOptions & { name: string }, runtime: Pick<Runtime, 'credentials'>): Promise<LabSpec> {
  const secrets = (await runtime.credentials(options.name)) ?? generateSecrets();
  return buildLabSpec(secrets, options);
}

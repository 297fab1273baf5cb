import { UsageError } from '../errors.js';
import { ProcessRuntime } from './process/process-runtime.js';
import { labDir } from './paths.js';
import { loadOrCreateSecrets } from './secrets.js';
import { buildLabSpec, MAX_REPLICAS, SERVICES, type LabOptions, type LabSpec, type ServiceName } from './spec.js';
import type { Runtime } from './runtime.js';

export const RUNTIME_CHOICES = ['auto', 'process', 'docker'] as const;
export type RuntimeChoice = (typeof RUNTIME_CHOICES)[number];

const LAB_NAME = /^[a-z0-9][a-z0-9-]{0,30}$/;

export function checkLabName(name: string): string {
  if (!LAB_NAME.test(name)) {
    throw new UsageError(`"${name}" is not a lab name`, 'use 1-31 lower-case letters, digits and dashes, starting with a letter or digit');
  }
  return name;
}

/** Picks the runtime: `auto` is the process runtime until the Docker runtime lands. */
export function selectRuntime(choice: RuntimeChoice, env: NodeJS.ProcessEnv = process.env): Runtime {
  if (choice === 'docker') {
    throw new UsageError('the docker runtime is not available in this version of w2meet', 'use --runtime process (or leave --runtime out)');
  }
  return new ProcessRuntime({ env });
}

/** `availability=3,suggestion-service=1` → replica counts; short names without `-service` are accepted. */
export function parseReplicas(text: string | undefined): Partial<Record<ServiceName, number>> {
  const out: Partial<Record<ServiceName, number>> = {};
  if (!text) return out;
  for (const part of text.split(',').map((p) => p.trim()).filter(Boolean)) {
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


/** The spec of a lab, with the credentials it already has (or new ones). */
export async function labSpec(options: LabOptions & { name: string }, env: NodeJS.ProcessEnv = process.env): Promise<LabSpec> {
  const secrets = await loadOrCreateSecrets(labDir(options.name, env));
  return buildLabSpec(secrets, options);
}

import { AbortedError } from '../../errors.js';
import { freePort, freePorts } from '../free-port.js';
import type { CreateContext } from '../lifecycle/driver.js';
import type { ComponentName, LabSpec } from '../spec.js';
import { planContainers, networkName, type DockerInstance } from './container-plan.js';
import type { EngineClient } from './engine-client.js';
import type { ImageFlavour, ImageMode, ImageRefs } from './lab-images.js';
import { writeRecord } from './lab-record.js';
import { credentialLabels } from './volume-credentials.js';
import { ensureRequestLogDir, requestLogDir } from './request-logs.js';

/** The images a lab runs and how each is run: built or pulled by the real driver, given by a fake. */
export type ImageSource = (
  context: CreateContext,
) => Promise<{ images: ImageRefs; flavours: Partial<Record<ComponentName, ImageFlavour>> }>;

export interface DockerCreateInput {
  spec: LabSpec;
  engine: EngineClient;
  images: ImageSource;
  mode: ImageMode;
  exposeInfra: boolean;
  env: NodeJS.ProcessEnv;
}

/**
 * Which ready container the Engine starts first: RabbitMQ, whose boot is the longest; then the
 * rest of the infrastructure; then the services something waits on; the rest last.
 */
export function startPriority(instance: Pick<DockerInstance, 'name' | 'kind' | 'dependsOn'>): number {
  if (instance.name === 'rabbitmq') return 0;
  if (instance.kind === 'infra') return 1;
  return instance.dependsOn.length > 0 ? 2 : 3;
}

/**
 * Everything a Docker lab needs before its first container starts: the images, its network, its
 * volumes (labelled with the credentials their data is made with) and its record. Then every
 * container is created, one after another in the order they are best started in, as compose
 * does: creating is a third of what bringing up a container costs here, and off the start chain.
 * Returns the plan and each container's creation, which `start` waits for.
 */
export async function createDockerLab(
  input: DockerCreateInput,
  context: CreateContext,
): Promise<{ spec: LabSpec; plan: DockerInstance[]; creations: Map<string, Promise<string>>; createdAt: string }> {
  const { engine } = input;
  let spec = input.spec;
  // Ports are fixed when the lab is made, so a restarted container keeps its published address.
  if (spec.gatewayPort === 0) spec = { ...spec, gatewayPort: await freePort() };
  let infraPorts: Partial<Record<ComponentName, number>> | undefined;
  if (input.exposeInfra) {
    const [postgres, redis, rabbitmq] = await freePorts(3);
    infraPorts = { postgres: postgres!, redis: redis!, rabbitmq: rabbitmq! };
  }
  const { images, flavours } = await input.images(context);
  if (context.signal.aborted) throw new AbortedError('interrupted while building the images; nothing was started');
  // Request logs to a folder of the lab's, where the Engine is this machine's: read as files, as on
  // processes, instead of copied line by line by the Engine.
  const logDir = requestLogDir(spec.name, input.env);
  if (logDir) await ensureRequestLogDir(spec.name, input.env);
  const plan = planContainers({ spec, images, flavours, infraPorts, ...(logDir ? { requestLogDir: logDir } : {}) });
  await engine.ensureNetwork(spec.name, networkName(spec.name));
  for (const volume of new Set(plan.map((p) => p.volume).filter((v): v is string => !!v))) {
    await engine.ensureVolume(spec.name, volume, credentialLabels(spec.secrets));
  }
  const createdAt = new Date().toISOString();
  await writeRecord(spec.name, { createdAt, images: input.mode, timeline: {}, ...(logDir ? { requestLogs: logDir } : {}) }, input.env);
  const creations = new Map<string, Promise<string>>();
  let previous: Promise<unknown> = Promise.resolve();
  for (const instance of [...plan].sort((a, b) => startPriority(a) - startPriority(b))) {
    const creation = previous.then(async () => {
      if (context.signal.aborted) throw new AbortedError();
      instance.containerId = await engine.create(instance.options);
      return instance.containerId;
    });
    creation.catch(() => {});
    creations.set(instance.id, creation);
    previous = creation.catch(() => {});
  }
  return { spec, plan, creations, createdAt };
}

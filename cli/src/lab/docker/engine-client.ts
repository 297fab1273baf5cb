import type Docker from 'dockerode';
import type { ContainerCreateOptions, ContainerInspectInfo } from 'dockerode';
import { FaultError } from '../../errors.js';
import { containerLogLines } from './container-logs.js';
import { DockerUnavailableError } from '../../errors.js';
import { dockerAddress, pingDocker } from './engine.js';
import { LABEL_COMPONENT, LABEL_INSTANCE, LABEL_REPLICA, labFilter, labLabels } from './labels.js';

/** One container of a lab, as its labels name it. */
export interface LabContainer {
  id: string;
  name: string;
  replica: number;
  containerId: string;
}

/**
 * The few Engine calls the Docker driver makes, in one place: the driver never touches dockerode,
 * so a fake Engine can stand in for it in unit tests.
 */
export interface EngineClient {
  ping(): Promise<boolean>;
  requireReachable(): Promise<void>;
  labContainers(lab: string): Promise<LabContainer[]>;
  inspect(containerId: string): Promise<ContainerInspectInfo>;
  create(options: ContainerCreateOptions): Promise<string>;
  start(containerId: string): Promise<void>;
  stop(containerId: string, seconds: number): Promise<void>;
  kill(containerId: string): Promise<void>;
  pause(containerId: string): Promise<void>;
  unpause(containerId: string): Promise<void>;
  remove(containerId: string): Promise<void>;
  /** Runs a command in a container; throws FaultError with its output when it fails. */
  exec(containerId: string, cmd: string[], options: { user?: string; env?: string[] }): Promise<void>;
  logLines(containerId: string, options: { follow: boolean; tail?: number; since?: Date; signal?: AbortSignal }): AsyncGenerator<string>;
  ensureNetwork(lab: string, name: string): Promise<void>;
  ensureVolume(lab: string, name: string, labels: Record<string, string>): Promise<void>;
  removeNetworks(lab: string): Promise<void>;
  removeVolumes(lab: string): Promise<void>;
  labVolumes(lab: string): Promise<{ Name: string; Labels: Record<string, string> }[]>;
  /** Every container (running or not) carrying a label, `key` or `key=value`: how containers w2meet did not make are found. */
  containersByLabel(filter: string): Promise<LabelledContainer[]>;
}

/** A container as the Engine lists it, found by a label. */
export interface LabelledContainer {
  containerId: string;
  labels: Record<string, string>;
  /** The Engine's short state: running, paused, exited, created, restarting, dead. */
  state: string;
}

/**
 * Pauses a container, trying again when the kernel's freezer could not freeze it at once ("unable
 * to freeze": a process of it was busy in the kernel), which passes within a moment.
 */
async function pauseWithRetry(c: Docker.Container, attempts = 5): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await c.pause();
      return;
    } catch (err) {
      if (attempt >= attempts || !/unable to freeze/i.test((err as Error).message)) throw err;
      await new Promise((r) => setTimeout(r, 300 * attempt));
    }
  }
}

/** The Engine client over dockerode. */
export function dockerodeEngine(docker: Docker, env: NodeJS.ProcessEnv): EngineClient {
  const c = (id: string) => docker.getContainer(id);
  return {
    ping: async () => (await pingDocker(docker)) !== null,
    requireReachable: async () => {
      if (!(await pingDocker(docker))) throw new DockerUnavailableError(dockerAddress(env));
    },
    labContainers: async (lab) => {
      // A swarm lab's task containers carry the lab's label too: they are the swarm driver's.
      const list = (await docker.listContainers({ all: true, filters: labFilter(lab) })).filter(
        (x) => !x.Labels['com.docker.swarm.service.id'],
      );
      return list.map((x) => {
        const name = x.Labels[LABEL_COMPONENT] ?? 'unknown';
        return { id: x.Labels[LABEL_INSTANCE] ?? name, name, replica: Number(x.Labels[LABEL_REPLICA] ?? 1), containerId: x.Id };
      });
    },
    inspect: (id) => c(id).inspect(),
    create: async (options) => (await docker.createContainer(options)).id,
    start: async (id) => void (await c(id).start()),
    stop: async (id, seconds) => void (await c(id).stop({ t: seconds })),
    kill: async (id) => void (await c(id).kill({ signal: 'SIGKILL' })),
    pause: (id) => pauseWithRetry(c(id)),
    unpause: async (id) => void (await c(id).unpause()),
    remove: async (id) => void (await c(id).remove({ force: true, v: false })),
    exec: async (id, cmd, options) => {
      const exec = await c(id).exec({ Cmd: cmd, User: options.user, Env: options.env, AttachStdout: true, AttachStderr: true });
      const stream = await exec.start({ hijack: true, stdin: false });
      const chunks: Buffer[] = [];
      stream.on('data', (d: Buffer) => chunks.push(d));
      await new Promise((resolve) => stream.on('end', resolve));
      const { ExitCode } = await exec.inspect();
      // The output is still framed (8-byte headers): only its printable text is worth showing.
      const printed = Buffer.concat(chunks)
        .toString()
        .replace(/[^\x20-\x7e\n]/g, '')
        .trim();
      if (ExitCode !== 0)
        throw new FaultError(
          `${cmd.join(' ')} failed (exit ${ExitCode}): ${printed}`,
          "see the container's own log with `w2meet logs rabbitmq`",
        );
    },
    logLines: (id, options) => containerLogLines(docker, id, options),
    ensureNetwork: async (lab, name) => {
      const found = await docker.listNetworks({ filters: { name: [name], ...labFilter(lab) } });
      if (found.some((n) => n.Name === name)) return;
      await docker.createNetwork({ Name: name, Driver: 'bridge', Labels: labLabels(lab), CheckDuplicate: true });
    },
    // An existing volume keeps its labels: the credentials it was made with.
    ensureVolume: async (lab, name, labels) => void (await docker.createVolume({ Name: name, Labels: { ...labLabels(lab), ...labels } })),
    removeNetworks: async (lab) => {
      for (const n of await docker.listNetworks({ filters: labFilter(lab) }))
        await docker
          .getNetwork(n.Id)
          .remove()
          .catch(() => {});
    },
    labVolumes: async (lab) =>
      ((await docker.listVolumes({ filters: labFilter(lab) })).Volumes ?? []).map((v) => ({ Name: v.Name, Labels: v.Labels ?? {} })),
    containersByLabel: async (filter) =>
      (await docker.listContainers({ all: true, filters: { label: [filter] } })).map((x) => ({
        containerId: x.Id,
        labels: x.Labels ?? {},
        state: x.State,
      })),
    removeVolumes: async (lab) => {
      const { Volumes } = await docker.listVolumes({ filters: labFilter(lab) });
      for (const v of Volumes ?? [])
        await docker
          .getVolume(v.Name)
          .remove({ force: true })
          .catch(() => {});
    },
  };
}

import type { ContainerCreateOptions, ContainerInspectInfo } from 'dockerode';
import type { EngineClient, LabContainer } from '../lab/docker/engine-client.js';
import { LABEL_COMPONENT, LABEL_INSTANCE, LABEL_LAB, LABEL_REPLICA } from '../lab/docker/labels.js';

interface FakeContainer {
  id: string;
  options: ContainerCreateOptions;
  running: boolean;
  paused: boolean;
  exitCode: number;
  ip: string;
  created: string;
  /** The Engine healthcheck's status while it runs, when a test gives it one. */
  health?: 'starting' | 'healthy' | 'unhealthy';
}

/** An Engine for unit tests of the Docker driver: containers are records, every call is logged in `calls`. */
export class FakeEngine implements EngineClient {
  readonly calls: string[] = [];
  readonly containers = new Map<string, FakeContainer>();
  networks = new Set<string>();
  volumes = new Map<string, Record<string, string>>();
  /** Containers whose start makes them exit at once with this code. */
  exitOnStart = new Map<string, number>();
  private next = 1;

  async ping() {
    return true;
  }

  async requireReachable() {}

  async labContainers(lab: string): Promise<LabContainer[]> {
    return [...this.containers.values()]
      .filter((c) => c.options.Labels?.[LABEL_LAB] === lab)
      .map((c) => ({
        id: c.options.Labels![LABEL_INSTANCE]!,
        name: c.options.Labels![LABEL_COMPONENT]!,
        replica: Number(c.options.Labels![LABEL_REPLICA]),
        containerId: c.id,
      }));
  }

  async inspect(id: string): Promise<ContainerInspectInfo> {
    const c = this.get(id);
    const network = String(c.options.HostConfig?.NetworkMode);
    const binding = Object.entries(c.options.HostConfig?.PortBindings ?? {})[0] as
      | [string, { HostIp: string; HostPort: string }[]]
      | undefined;
    return {
      State: {
        Running: c.running,
        Paused: c.paused,
        Status: c.running ? 'running' : 'exited',
        ExitCode: c.exitCode,
        Pid: c.running ? 4242 : 0,
        StartedAt: '2026-11-29T00:00:00Z',
        ...(c.health && c.running ? { Health: { Status: c.health } } : {}),
      },
      Created: c.created,
      Config: {
        Image: c.options.Image,
        Labels: c.options.Labels ?? {},
        Healthcheck: c.options.Healthcheck,
        ExposedPorts: c.options.ExposedPorts,
      },
      NetworkSettings: {
        Networks: c.running ? { [network]: { IPAddress: c.ip } } : {},
        Ports: c.running && binding ? { [binding[0]]: binding[1] } : {},
      },
    } as unknown as ContainerInspectInfo;
  }

  async create(options: ContainerCreateOptions): Promise<string> {
    const id = `c${this.next++}`;
    this.calls.push(`create ${options.Labels?.[LABEL_INSTANCE]}`);
    const created = new Date(Date.UTC(2026, 10, 28, 0, 0, this.next)).toISOString();
    this.containers.set(id, { id, options, running: false, paused: false, exitCode: 0, ip: `172.30.0.${this.next}`, created });
    return id;
  }

  async start(id: string) {
    const c = this.get(id);
    this.calls.push(`start ${c.options.Labels?.[LABEL_INSTANCE]}`);
    const code = this.exitOnStart.get(c.options.Labels![LABEL_INSTANCE]!);
    c.running = code === undefined;
    c.exitCode = code ?? 0;
  }

  async stop(id: string) {
    this.get(id).running = false;
    this.calls.push(`stop ${this.instance(id)}`);
  }

  async kill(id: string) {
    Object.assign(this.get(id), { running: false, exitCode: 137 });
    this.calls.push(`kill ${this.instance(id)}`);
  }

  async pause(id: string) {
    this.get(id).paused = true;
  }

  async unpause(id: string) {
    this.get(id).paused = false;
  }

  async remove(id: string) {
    this.calls.push(`remove ${this.instance(id)}`);
    this.containers.delete(id);
  }

  async exec(id: string, cmd: string[]) {
    this.calls.push(`exec ${this.instance(id)} ${cmd.join(' ')}`);
  }

  async *logLines(id: string): AsyncGenerator<string> {
    yield `log of ${this.instance(id)}`;
  }

  async ensureNetwork(_lab: string, name: string) {
    this.networks.add(name);
  }

  async ensureVolume(_lab: string, name: string, labels: Record<string, string>) {
    if (!this.volumes.has(name)) this.volumes.set(name, { [LABEL_LAB]: _lab, ...labels });
  }

  async removeNetworks() {
    this.networks.clear();
  }

  async removeVolumes(lab: string) {
    for (const [name, labels] of this.volumes) if (labels[LABEL_LAB] === lab) this.volumes.delete(name);
  }

  async labVolumes(lab: string) {
    return [...this.volumes].filter(([, labels]) => labels[LABEL_LAB] === lab).map(([Name, Labels]) => ({ Name, Labels }));
  }

  async containersByLabel(filter: string) {
    const [key, value] = filter.split(/=(.*)/s) as [string, string | undefined];
    return [...this.containers.values()]
      .filter((c) => {
        const label = c.options.Labels?.[key];
        return label !== undefined && (value === undefined || label === value);
      })
      .map((c) => ({
        containerId: c.id,
        labels: c.options.Labels ?? {},
        state: c.paused ? 'paused' : c.running ? 'running' : 'exited',
      }));
  }

  private get(id: string): FakeContainer {
    const c = this.containers.get(id);
    if (!c) throw new Error(`no such container: ${id}`);
    return c;
  }

  private instance(id: string): string {
    return this.get(id).options.Labels?.[LABEL_INSTANCE] ?? id;
  }
}

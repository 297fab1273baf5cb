import type Docker from 'dockerode';
import type { ServiceSpec } from 'dockerode';
import { PrerequisiteError } from '../../errors.js';
import { labFilter, labLabels } from '../docker/labels.js';
import { createObject, objectNames, removeObjects, type StoredObjectCalls } from './stored-objects.js';

/** A task as the Engine lists it: the fields the driver reads. */
export interface SwarmTask {
  ID: string;
  NodeID?: string;
  CreatedAt?: string;
  DesiredState?: string;
  Slot?: number;
  Status?: { State?: string; Err?: string; Timestamp?: string; ContainerStatus?: { ContainerID?: string } };
}

export interface SwarmNode {
  id: string;
  hostname: string;
  role: string;
  state: string;
  availability: string;
  address: string;
}

/** Docker's bridge that gives each task of this node a way out, and the host a way in. */
const GWBRIDGE = 'docker_gwbridge';

/**
 * The swarm-mode calls the Swarm driver makes, in one place (services, tasks, secrets, overlay
 * networks, nodes); container calls go through the Docker runtime's EngineClient as before.
 */
export class SwarmEngine {
  constructor(readonly docker: Docker) {}

  /** `active` on a node of a swarm; `inactive` on an Engine that is in none. */
  async localState(): Promise<{ state: string; manager: boolean; nodeId: string; nodes: number }> {
    const info = (await this.docker.info()) as {
      Swarm?: { LocalNodeState?: string; ControlAvailable?: boolean; NodeID?: string; Nodes?: number };
    };
    return {
      state: info.Swarm?.LocalNodeState ?? 'inactive',
      manager: info.Swarm?.ControlAvailable ?? false,
      nodeId: info.Swarm?.NodeID ?? '',
      nodes: info.Swarm?.Nodes ?? 0,
    };
  }

  async init(advertise: string): Promise<void> {
    await this.docker.swarmInit({ ListenAddr: `${advertise}:2377`, AdvertiseAddr: advertise });
  }

  async leave(): Promise<void> {
    await this.docker.swarmLeave({ force: true });
  }

  async nodes(): Promise<SwarmNode[]> {
    const nodes = (await this.docker.listNodes()) as Array<{
      ID: string;
      Description?: { Hostname?: string };
      Spec?: { Role?: string; Availability?: string };
      Status?: { State?: string; Addr?: string };
    }>;
    return nodes.map((n) => ({
      id: n.ID,
      hostname: n.Description?.Hostname ?? n.ID,
      role: n.Spec?.Role ?? '',
      state: n.Status?.State ?? '',
      availability: n.Spec?.Availability ?? '',
      address: n.Status?.Addr ?? '',
    }));
  }

  async labServices(lab: string): Promise<Array<{ ID: string; Spec: ServiceSpec; Version: { Index: number } }>> {
    return (await this.docker.listServices({ filters: labFilter(lab) })) as never;
  }

  async createService(spec: ServiceSpec, replicas: number): Promise<string> {
    const made = await this.docker.createService({ ...spec, Mode: { Replicated: { Replicas: replicas } } });
    return made.id;
  }

  /** A service with one task on every node that can run it (a job: its restart policy says whether it runs again). */
  async createGlobalService(spec: ServiceSpec): Promise<string> {
    const made = await this.docker.createService({ ...spec, Mode: { Global: {} } });
    return made.id;
  }

  /** Sets a service's task count. */
  async scale(serviceId: string, replicas: number): Promise<void> {
    await this.updateSpec(serviceId, (spec) => ({ ...spec, Mode: { Replicated: { Replicas: replicas } } }));
  }

  /**
   * Sets (or, with null, removes) a label of the service itself. A service's own labels are not its
   * tasks': changing one restarts nothing.
   */
  async setServiceLabel(serviceId: string, key: string, value: string | null): Promise<void> {
    await this.updateSpec(serviceId, (spec) => {
      const labels = { ...(spec.Labels ?? {}) };
      if (value === null) delete labels[key];
      else labels[key] = value;
      return { ...spec, Labels: labels };
    });
  }

  async serviceLabels(serviceId: string): Promise<Record<string, string>> {
    const info = (await this.docker.getService(serviceId).inspect()) as { Spec: ServiceSpec };
    return info.Spec.Labels ?? {};
  }

  /** Changes a service's spec from its current one and version (the Engine refuses a stale one). */
  private async updateSpec(serviceId: string, change: (spec: ServiceSpec) => ServiceSpec): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      const service = this.docker.getService(serviceId);
      const info = (await service.inspect()) as { Spec: ServiceSpec; Version: { Index: number } };
      try {
        await service.update({ version: info.Version.Index, ...change(info.Spec) });
        return;
      } catch (err) {
        // "update out of sequence": another update came between; read the version again.
        if (attempt >= 3 || !/out of sequence/.test((err as Error).message)) throw err;
      }
    }
  }

  async replicas(serviceId: string): Promise<number> {
    const info = (await this.docker.getService(serviceId).inspect()) as { Spec: ServiceSpec };
    return info.Spec.Mode?.Replicated?.Replicas ?? 0;
  }

  async removeService(serviceId: string): Promise<void> {
    await this.docker.getService(serviceId).remove();
  }

  async tasks(serviceId: string): Promise<SwarmTask[]> {
    return (await this.docker.listTasks({ filters: { service: [serviceId] } })) as SwarmTask[];
  }

  async labTasks(lab: string): Promise<SwarmTask[]> {
    return (await this.docker.listTasks({ filters: labFilter(lab) })) as SwarmTask[];
  }

  /** A secret of the lab's; one of the same name left by an earlier lab is replaced (a secret never changes). */
  createSecret(lab: string, name: string, data: string): Promise<string> {
    return createObject(this.calls('secret'), lab, name, data);
  }

  removeSecrets(lab: string): Promise<void> {
    return removeObjects(this.calls('secret'), lab);
  }

  labSecretNames(lab: string): Promise<string[]> {
    return objectNames(this.calls('secret'), lab);
  }

  /** A config of the lab's (a file a task mounts, not secret); one of the same name left by an earlier lab is replaced. */
  createConfig(lab: string, name: string, data: string): Promise<string> {
    return createObject(this.calls('config'), lab, name, data);
  }

  removeConfigs(lab: string): Promise<void> {
    return removeObjects(this.calls('config'), lab);
  }

  labConfigNames(lab: string): Promise<string[]> {
    return objectNames(this.calls('config'), lab);
  }

  /** Secrets and configs are made, listed and removed alike, each through its own calls. */
  private calls(kind: 'secret' | 'config'): StoredObjectCalls {
    const d = this.docker;
    return kind === 'secret'
      ? { kind, list: (o) => d.listSecrets(o), remove: (id) => d.getSecret(id).remove(), create: (o) => d.createSecret(o) }
      : { kind, list: (o) => d.listConfigs(o), remove: (id) => d.getConfig(id).remove(), create: (o) => d.createConfig(o) };
  }

  /** The lab's overlay network, attachable so the edge container (not a service) can join it; `encrypted` between nodes. */
  async ensureOverlay(lab: string, name: string, encrypted = false): Promise<void> {
    const found = (await this.docker.listNetworks({ filters: { name: [name] } })).find((n) => n.Name === name);
    if (found?.Driver === 'overlay') return;
    if (found)
      throw new PrerequisiteError(
        `a ${found.Driver} network named ${name} is there already: lab ${lab} runs on Docker`,
        `take it down first (w2meet down --lab ${lab}), or give this lab another name (--lab)`,
      );
    await this.docker.createNetwork({
      Name: name,
      Driver: 'overlay',
      Attachable: true,
      Labels: labLabels(lab),
      ...(encrypted ? { Options: { encrypted: 'true' } } : {}),
    });
  }

  /** The lab's overlay networks, and no other network of the lab (a Docker lab's bridge of the same name). */
  async removeOverlays(lab: string): Promise<void> {
    for (const n of await this.docker.listNetworks({ filters: { ...labFilter(lab), driver: ['overlay'] } })) {
      await this.docker
        .getNetwork(n.Id)
        .remove()
        .catch(() => {});
    }
  }

  /** Where the host reaches a task's container of this node: its address on Docker's gateway bridge. */
  async bridgeAddress(containerId: string): Promise<string | null> {
    const info = (await this.docker
      .getNetwork(GWBRIDGE)
      .inspect()
      .catch(() => null)) as { Containers?: Record<string, { IPv4Address?: string }> } | null;
    const address = info?.Containers?.[containerId]?.IPv4Address;
    return address ? address.split('/')[0]! : null;
  }
}

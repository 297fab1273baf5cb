import type { ContainerCreateOptions } from 'dockerode';
import { componentFor } from '../components/catalogue.js';
import type { DriverInstance } from '../lifecycle/driver.js';
import { instanceIds, instanceWaits, type AddressBook, type ComponentName, type LabSpec } from '../spec.js';
import type { ImageFlavour, ImageRefs } from './lab-images.js';
import { LABEL_COMPONENT, LABEL_INSTANCE, LABEL_REPLICA, labLabels } from './labels.js';
import { CONTAINER_LOG_DIR } from './request-logs.js';

/**
 * The Engine's own health checks, for `docker ps` and anyone watching the Engine. Each one is a
 * process the Engine starts inside the container, which costs a third of a second of CPU on a small
 * machine: every 2 s across ten containers that was a whole core, taken from the lab's boot and
 * from every measurement. So they run every 30 s, Docker's default. Nothing in w2meet waits on
 * them: start-up and `status` probe each container from the host (see lifecycle/wait-healthy.ts).
 */
const HEALTH = { Interval: 30e9, Timeout: 5e9, Retries: 3, StartPeriod: 0 };

export interface DockerInstance extends DriverInstance {
  containerName: string;
  /** Set once the container exists. */
  containerId?: string;
  volume?: string;
  options: ContainerCreateOptions;
}

export interface ContainerPlanInput {
  spec: LabSpec;
  images: ImageRefs;
  /** How each infrastructure image is run (see imageFlavour). */
  flavours: Partial<Record<ComponentName, ImageFlavour>>;
  /**
   * Host ports to publish Postgres, Redis and RabbitMQ on (127.0.0.1), for --expose-infra. Fixed
   * ports, chosen once: a restarted container keeps its address.
   */
  infraPorts?: Partial<Record<ComponentName, number>>;
  /** The host folder the services' and gateway's request logs are written to (mounted), or none. */
  requestLogDir?: string;
}

export const networkName = (lab: string) => `w2meet-${lab}`;
export const containerName = (lab: string, id: string) => `w2meet-${lab}-${id}`;
export const volumeName = (lab: string, component: string) => `w2meet-${lab}-${component}`;

/** Where one container reaches the others: by instance id on the lab network, at each one's inner port. */
export function labNetworkBook(spec: LabSpec): AddressBook {
  return {
    hostPorts: (name) => instanceIds(spec.components.find((x) => x.name === name)!).map((id) => `${id}:${componentFor(name).innerPort}`),
  };
}

/** The one published port: the gateway's on 127.0.0.1, or an infrastructure port with --expose-infra. */
function published(
  port: number,
  hostPort: number,
): Pick<ContainerCreateOptions, 'ExposedPorts'> & { bindings: Record<string, { HostIp: string; HostPort: string }[]> } {
  const key = `${port}/tcp`;
  return { ExposedPorts: { [key]: {} }, bindings: { [key]: [{ HostIp: '127.0.0.1', HostPort: String(hostPort) }] } };
}

/**
 * The containers of a lab, derived from the same spec and catalogue as the process runtime: each
 * replica is a container named after its instance id on the lab's own network, so services reach
 * each other by name; only the gateway is published, on 127.0.0.1.
 */
export function planContainers(input: ContainerPlanInput): DockerInstance[] {
  const { spec, images, flavours } = input;
  const lab = spec.name;
  const book = labNetworkBook(spec);
  return spec.components.flatMap((c) => {
    const component = componentFor(c.name);
    const waits = instanceWaits(spec, c);
    return instanceIds(c).map((id, index): DockerInstance => {
      // What serves requests logs them to the mounted folder; the infrastructure keeps stdout.
      const logsTo = c.kind !== 'infra' && input.requestLogDir ? input.requestLogDir : undefined;
      const launch = component.container({
        spec,
        id,
        book,
        flavour: flavours[c.name] ?? 'official',
        ...(logsTo ? { requestLogs: CONTAINER_LOG_DIR } : {}),
      });
      const mounts = [
        ...(launch.dataPath ? [{ Type: 'volume' as const, Source: volumeName(lab, c.name), Target: launch.dataPath }] : []),
        ...(logsTo ? [{ Type: 'bind' as const, Source: logsTo, Target: CONTAINER_LOG_DIR }] : []),
      ];
      const volume = launch.dataPath ? volumeName(lab, c.name) : undefined;
      const publish =
        c.kind === 'gateway'
          ? published(component.innerPort, spec.gatewayPort)
          : input.infraPorts?.[c.name]
            ? published(component.innerPort, input.infraPorts[c.name]!)
            : null;
      const options: ContainerCreateOptions = {
        name: containerName(lab, id),
        Hostname: id,
        Image: images[c.name],
        Labels: { ...labLabels(lab), [LABEL_COMPONENT]: c.name, [LABEL_REPLICA]: String(index + 1), [LABEL_INSTANCE]: id },
        Env: Object.entries(launch.env).map(([k, v]) => `${k}=${v}`),
        Healthcheck: { Test: launch.health, ...HEALTH },
        StopSignal: component.stopSignal,
        ...(launch.cmd ? { Cmd: launch.cmd } : {}),
        ...(launch.user ? { User: launch.user } : {}),
        ...(launch.replaceEntrypoint ? { Entrypoint: [] } : {}),
        ...(publish ? { ExposedPorts: publish.ExposedPorts } : {}),
        HostConfig: {
          NetworkMode: networkName(lab),
          RestartPolicy: { Name: 'no' },
          Init: true,
          // A busy service's request log is capped, as on processes: 20 MB and one older file.
          LogConfig: { Type: 'json-file', Config: { 'max-size': '20m', 'max-file': '2' } },
          ...(launch.cpuShares ? { CpuShares: launch.cpuShares } : {}),
          ...(mounts.length ? { Mounts: mounts } : {}),
          ...(publish ? { PortBindings: publish.bindings } : {}),
        },
        NetworkingConfig: { EndpointsConfig: { [networkName(lab)]: { Aliases: [id, c.name] } } },
      };
      return {
        id,
        name: c.name,
        kind: c.kind,
        replica: index + 1,
        ...waits,
        timeline: {},
        containerName: containerName(lab, id),
        volume,
        options,
      };
    });
  });
}

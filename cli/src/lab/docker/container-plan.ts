import type { ContainerCreateOptions } from 'dockerode';
import { renderGatewayConfig } from '../gateway-config.js';
import { instanceIds, instanceWaits } from '../process/plan.js';
import type { AddressBook, ComponentName, ComponentKind, LabSpec } from '../spec.js';
import type { ImageFlavour, ImageRefs } from './lab-images.js';
import { LABEL_COMPONENT, LABEL_INSTANCE, LABEL_REPLICA, labLabels } from './labels.js';
import { roleRuntime } from './role-commands.js';

/** Ports inside the lab network: each component listens on its usual port. */
export const INNER_PORTS: Record<string, number> = { postgres: 5432, redis: 6379, rabbitmq: 5672, gateway: 8080 };
const SERVICE_PORT = 8000;
/**
 * The Engine's own health checks, for `docker ps` and anyone watching the Engine. Each one is a
 * process the Engine starts inside the container, which costs a third of a second of CPU on a small
 * machine: every 2 s across ten containers that was a whole core, taken from the lab's boot and
 * from every measurement. So they run every 30 s, Docker's default. Nothing in w2meet waits on
 * them: start-up and `status` probe each container from the host (see docker-runtime.ts).
 */
const HEALTH = { Interval: 30e9, Timeout: 5e9, Retries: 3, StartPeriod: 0 };
export const SERVICE_HEALTH_CHECK = ['CMD', 'bash', '-c', "exec 3<>/dev/tcp/127.0.0.1/8000 && printf 'GET /health HTTP/1.0\\r\\nCase-ID: w2meet-probe\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q ' 200 '"];

export interface DockerInstance {
  id: string;
  name: ComponentName;
  kind: ComponentKind;
  replica: number;
  containerName: string;
  dependsOn: string[];
  startsAfter: string[];
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
  infraPorts?: Partial<Record<'postgres' | 'redis' | 'rabbitmq', number>>;
}

export const networkName = (lab: string) => `w2meet-${lab}`;
export const containerName = (lab: string, id: string) => `w2meet-${lab}-${id}`;
export const volumeName = (lab: string, component: string) => `w2meet-${lab}-${component}`;

/**
 * The containers of a lab, derived from the same spec as the process runtime: each replica is a
 * container named after its instance id on the lab's own network, so services reach each other
 * by name; only the gateway is published, on 127.0.0.1.
 */
export function planContainers(input: ContainerPlanInput): DockerInstance[] {
  const { spec, images, flavours } = input;
  const lab = spec.name;
  const book: AddressBook = {
    hostPorts: (name) => {
      const c = spec.components.find((x) => x.name === name)!;
      return instanceIds(c).map((id) => `${id}:${INNER_PORTS[name] ?? SERVICE_PORT}`);
    },
  };
  const s = spec.secrets;
  const upstreams = Object.fromEntries(spec.components.filter((c) => c.kind === 'service').map((c) => [c.name, book.hostPorts(c.name)]));
  const out: DockerInstance[] = [];
  for (const c of spec.components) {
    instanceIds(c).forEach((id, index) => {
      const labels = { ...labLabels(lab), [LABEL_COMPONENT]: c.name, [LABEL_REPLICA]: String(index + 1), [LABEL_INSTANCE]: id };
      const { dependsOn, startsAfter } = instanceWaits(spec, c);
      const base: ContainerCreateOptions = {
        name: containerName(lab, id),
        Hostname: id,
        Image: images[c.name],
        Labels: labels,
        HostConfig: {
          NetworkMode: networkName(lab), RestartPolicy: { Name: 'no' }, Init: true,
          // A busy service's request log is capped, as on processes: 20 MB and one older file.
          LogConfig: { Type: 'json-file', Config: { 'max-size': '20m', 'max-file': '2' } },
        },
        NetworkingConfig: { EndpointsConfig: { [networkName(lab)]: { Aliases: [id, c.name] } } },
      };
      let env: Record<string, string>;
      let volume: string | undefined;
      if (c.kind === 'service') {
        env = { ...c.env!(book, s), PORT: String(SERVICE_PORT), HOST: '0.0.0.0', INSTANCE_ID: id };
        base.Healthcheck = { Test: SERVICE_HEALTH_CHECK, ...HEALTH };
      } else {
        const role = c.name as 'postgres' | 'redis' | 'rabbitmq' | 'gateway';
        const roleEnv: Record<string, string> =
          role === 'postgres' ? { POSTGRES_USER: s.postgresUser, POSTGRES_PASSWORD: s.postgresPassword }
          : role === 'rabbitmq' ? { RABBITMQ_DEFAULT_USER: s.rabbitUser, RABBITMQ_DEFAULT_PASS: s.rabbitPassword }
          : role === 'redis' ? { REDIS_PASSWORD: s.redisPassword }
          : role === 'gateway' ? {
            W2MEET_NGINX_CONF: renderGatewayConfig(spec, {
              listen: '8080', upstreams, pidFile: '/tmp/nginx.pid', errorLog: '/dev/stderr', accessLog: '/dev/stdout', tempDir: '/tmp/nginx',
            }),
          }
          : {};
        const flavour = flavours[role] ?? 'official';
        const rt = roleRuntime(role, flavour, roleEnv);
        env = rt.env;
        if (rt.cmd) base.Cmd = rt.cmd;
        if (rt.user) base.User = rt.user;
        // Overrides the image's entrypoint so one local image can play every role.
        if (flavour === 'local') base.Entrypoint = [];
        base.Healthcheck = { Test: rt.health, ...HEALTH };
        // RabbitMQ's boot is the longest on the start-up's critical path and CPU-bound: on a small
        // machine it gets four times the default CPU weight while everything boots at once.
        if (role === 'rabbitmq') base.HostConfig!.CpuShares = 4096;
        // Postgres's fast shutdown; its default (SIGTERM) waits for every client to leave.
        if (role === 'postgres') base.StopSignal = 'SIGINT';
        if (rt.dataPath) {
          volume = volumeName(lab, c.name);
          base.HostConfig!.Mounts = [{ Type: 'volume', Source: volume, Target: rt.dataPath }];
        }
        if (role === 'gateway') {
          base.ExposedPorts = { '8080/tcp': {} };
          base.HostConfig!.PortBindings = { '8080/tcp': [{ HostIp: '127.0.0.1', HostPort: String(spec.gatewayPort) }] };
        } else if (input.infraPorts?.[role]) {
          const port = `${INNER_PORTS[role]}/tcp`;
          base.ExposedPorts = { [port]: {} };
          base.HostConfig!.PortBindings = { [port]: [{ HostIp: '127.0.0.1', HostPort: String(input.infraPorts[role]) }] };
        }
      }
      base.Env = Object.entries(env).map(([k, v]) => `${k}=${v}`);
      out.push({ id, name: c.name, kind: c.kind, replica: index + 1, containerName: containerName(lab, id), dependsOn, startsAfter, volume, options: base });
    });
  }
  return out;
}

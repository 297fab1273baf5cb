import { createHash } from 'node:crypto';
import type { ContainerCreateOptions, SecretReference, ServiceSpec } from 'dockerode';
import type { DockerInstance } from '../docker/container-plan.js';
import { LABEL_INSTANCE, labLabels } from '../docker/labels.js';
import type { LabSecrets } from '../spec.js';
import { componentFor } from '../components/catalogue.js';
import { httpLivenessCheck } from '../components/component.js';

/**
 * Health checks the Engine runs in each task. On Swarm they decide more than on Docker: a task
 * joins its service's address (the name others reach it by) only once it is healthy, and one that
 * turns unhealthy is replaced. Every 5 s: a start waits at most that long beyond the service's
 * own readiness, at about a tenth of a core across a lab (each check is a process in the task).
 * Eight failures in a row (40 s) before the Engine replaces it: a paused task fails its checks,
 * and the scenarios pause one for up to 25 s on purpose.
 */
export const SWARM_HEALTH = { Interval: 5e9, Timeout: 5e9, Retries: 8, StartPeriod: 60e9 };

/** What a restarted or replaced task waits before it starts: the Engine's default is 5 s. */
const RESTART_DELAY_NS = 1e9;
const STOP_GRACE_NS = 10e9;

export const SECRETS_DIR = '/run/secrets';

/**
 * The gateway on Swarm: nginx, started once every upstream's name resolves (on Swarm a name
 * resolves only once its task is healthy, where on Docker a started container's does at once), and
 * a loop that reloads it whenever a name of its upstreams comes to
 * resolve to another address. The lab's names resolve to the task itself (dnsrr, below), and a
 * task the Engine replaces comes back at a new address, which nginx (it resolves names as it loads)
 * would not see otherwise. A name that resolves to nothing (its replica stopped) makes the reload
 * fail and keeps the running configuration; it is tried again until the name is back. Every half
 * second: a scenario's next request after a replica came back (about a second later) must find it
 * at its new address (it took 2 s once, and that request waited out nginx's connect timeout).
 * Each client connection carries one request (see the script): it costs a connection per request
 * through the edge, and keeps a reload from closing a connection a request was just sent on.
 */
export const SWARM_GATEWAY_START = `printf "%s" "$W2MEET_NGINX_CONF" > /tmp/gateway.conf && mkdir -p /tmp/nginx || exit 1
# One request per client connection: a reload closes the old workers' idle keep-alive connections,
# and one closed as a client sends on it loses that request ("other side closed"), which a client
# sees. Without idle connections a reload only lets the requests in flight finish.
sed -i '/^http {/a\\    keepalive_timeout 0;' /tmp/gateway.conf
names=$(sed -n 's/^ *server \\([a-z0-9-]*\\):.*/\\1/p' /tmp/gateway.conf | sort -u)
resolve() { for n in $names; do getent hosts "$n"; done | sort; }
resolvable() { for n in $names; do getent hosts "$n" >/dev/null || return 1; done; }
# A task's name resolves only once it is healthy, and nginx will not start with one that does not:
# wait for every upstream (2 minutes at most; then nginx says which name is missing).
i=0; until resolvable || [ $i -ge 240 ]; do sleep 0.5; i=$((i+1)); done
nginx -c /tmp/gateway.conf -g "daemon off;" & pid=$!
trap 'kill -TERM $pid; wait $pid; exit 0' TERM INT
seen=$(resolve)
while kill -0 $pid 2>/dev/null; do
  sleep 0.5 & wait $!
  now=$(resolve)
  if [ "$now" != "$seen" ] && nginx -c /tmp/gateway.conf -s reload 2>/dev/null; then seen=$now; fi
done
wait $pid`;

/** One swarm secret: its name, and the content the lab gives it. */
export interface PlannedSecret {
  name: string;
  data: string;
}

/**
 * The schema as a swarm config Postgres applies itself on its first start (see postgres.ts), for a
 * lab whose Postgres w2meet cannot reach to apply it (a manager of another machine).
 */
export interface SchemaConfig {
  configId: string;
  configName: string;
}

export const INITDB_SCHEMA = '/docker-entrypoint-initdb.d/001-schema.sql';

/** One instance of the lab as a swarm service of one task (see swarm-driver.ts for why one per instance). */
export interface SwarmInstance extends DockerInstance {
  serviceName: string;
  service: ServiceSpec;
  secrets: PlannedSecret[];
  /** Set once the service exists. */
  serviceId?: string;
}

export const serviceName = (lab: string, id: string) => `w2meet-${lab}-${id}`;
/** Swarm refuses an object name longer than this. */
const MAX_NAME = 64;

/** `w2meet-<lab>-<instance>-<variable>`, shortened with a hash of the whole where a long lab name makes it too long for the Engine. */
export function secretName(lab: string, id: string, variable: string): string {
  const name = `w2meet-${lab}-${id}-${variable.toLowerCase().replace(/_/g, '-')}`;
  if (name.length <= MAX_NAME) return name;
  const hash = createHash('sha256').update(name).digest('hex').slice(0, 12);
  return `${name.slice(0, MAX_NAME - hash.length - 1)}-${hash}`;
}

/** The lab's passwords: an environment value holding any of them is passed as a secret file. */
function secretValues(secrets: LabSecrets): string[] {
  return [secrets.postgresPassword, secrets.rabbitPassword, secrets.redisPassword].filter((v) => v.length >= 8);
}

/**
 * The environment with every value that holds a password moved into a secret: `NAME_FILE` names
 * the file it is mounted as, which the services and the lab's start scripts read in its place.
 */
export function splitSecrets(
  lab: string,
  id: string,
  env: string[],
  secrets: LabSecrets,
): { env: string[]; secrets: PlannedSecret[]; refs: SecretReference[] } {
  const hidden = secretValues(secrets);
  const kept: string[] = [];
  const planned: PlannedSecret[] = [];
  for (const entry of env) {
    const at = entry.indexOf('=');
    const [variable, value] = [entry.slice(0, at), entry.slice(at + 1)];
    if (!hidden.some((h) => value.includes(h))) {
      kept.push(entry);
      continue;
    }
    const name = secretName(lab, id, variable);
    planned.push({ name, data: value });
    kept.push(`${variable}_FILE=${SECRETS_DIR}/${name}`);
  }
  const refs = planned.map((s) => ({ SecretName: s.name, File: { Name: s.name, UID: '0', GID: '0', Mode: 0o444 } }));
  return { env: kept, secrets: planned, refs };
}

/**
 * The instance's container, as Docker would run it (the same plan, so both runtimes run the same
 * thing), made a swarm service: reached on the lab's overlay network by the same names (its id,
 * its component), passwords as secrets, the Engine's health check deciding when it serves, and
 * restarted by the Engine whenever it ends. No service publishes a port: Swarm publishes on every
 * address of every node, and the lab is reached on 127.0.0.1 only (see edge.ts).
 */
export function planService(
  lab: string,
  network: string,
  instance: DockerInstance,
  secrets: LabSecrets,
  dataNode?: string,
  /** The node `--spread` pins it to (see spread.ts). */
  pinnedNode?: string,
  /** For Postgres: the schema it applies itself. */
  schema?: SchemaConfig,
): SwarmInstance {
  const o: ContainerCreateOptions = instance.options;
  // RabbitMQ's own image (--images official) exits on a *_FILE variable (deprecated there): its
  // password stays in its environment. w2meet's images and the others read the file.
  const officialBroker = instance.name === 'rabbitmq' && !(Array.isArray(o.Entrypoint) && o.Entrypoint.length === 0);
  const split = officialBroker ? { env: o.Env ?? [], secrets: [], refs: [] } : splitSecrets(lab, instance.id, o.Env ?? [], secrets);
  const labels = { ...(o.Labels ?? {}), ...labLabels(lab) };
  const initdb = instance.name === 'postgres' && schema;
  // Replaced, not added: Postgres's own image (--images official) has POSTGRES_DB=postgres already.
  if (initdb) split.env = [...split.env.filter((e) => !e.startsWith('POSTGRES_DB=')), `POSTGRES_DB=${secrets.postgresDb}`];
  // Docker's `Cmd` with an emptied entrypoint is the whole command; with the image's entrypoint kept, its arguments.
  const command =
    instance.kind === 'gateway'
      ? { Command: ['sh', '-c', SWARM_GATEWAY_START] }
      : o.Cmd
        ? o.Entrypoint && (o.Entrypoint as string[]).length === 0
          ? { Command: o.Cmd as string[] }
          : { Args: o.Cmd as string[] }
        : {};
  const mounts = (o.HostConfig?.Mounts ?? []).map((m) => (m.Type === 'volume' ? { ...m, VolumeOptions: { Labels: labLabels(lab) } } : m));
  const aliases = o.NetworkingConfig?.EndpointsConfig?.[Object.keys(o.NetworkingConfig.EndpointsConfig)[0]!]?.Aliases ?? [instance.id];
  const name = serviceName(lab, instance.id);
  const service: ServiceSpec = {
    Name: name,
    Labels: labels,
    TaskTemplate: {
      ContainerSpec: {
        Image: o.Image,
        Labels: labels,
        Hostname: instance.id,
        Env: split.env,
        Init: true,
        // A name the Engine no longer knows goes on to the host's resolvers, which may answer nothing
        // (glibc waits 5 s, twice): a replica away then costs its callers a second, not ten.
        DNSConfig: { Options: ['timeout:1', 'attempts:1'] },
        StopSignal: o.StopSignal,
        StopGracePeriod: STOP_GRACE_NS,
        // The Engine replaces a task whose check fails: a service is checked for being alive, not
        // for its dependencies being up (the lifecycle's own probes check that, from the host).
        HealthCheck: {
          Test: instance.kind === 'service' ? httpLivenessCheck(componentFor(instance.name).innerPort) : o.Healthcheck?.Test,
          ...SWARM_HEALTH,
        },
        ...(o.User ? { User: o.User } : {}),
        ...command,
        ...(mounts.length ? { Mounts: mounts as never } : {}),
        ...(split.refs.length ? { Secrets: split.refs } : {}),
        ...(initdb
          ? {
              Configs: [
                {
                  ConfigID: schema.configId,
                  ConfigName: schema.configName,
                  File: { Name: INITDB_SCHEMA, UID: '0', GID: '0', Mode: 0o444 },
                },
              ],
            }
          : {}),
      },
      RestartPolicy: { Condition: 'any', Delay: RESTART_DELAY_NS },
      // Data volumes are a node's own: what keeps data runs where its volume is, the node w2meet
      // talks to (which also applies the schema to Postgres from there).
      ...(instance.volume
        ? { Placement: { Constraints: [dataNode ? `node.id==${dataNode}` : 'node.role==manager'] } }
        : pinnedNode
          ? { Placement: { Constraints: [`node.id==${pinnedNode}`] } }
          : {}),
      Networks: [{ Target: network, Aliases: aliases }],
      LogDriver: { Name: 'json-file', Options: { 'max-size': '20m', 'max-file': '2' } },
    },
    // Made with no task: the lifecycle starts each one in dependency order (scales it to 1).
    Mode: { Replicated: { Replicas: 0 } },
    // Each name resolves to the task itself, not to a virtual address the Engine balances: that
    // needs the kernel's IPVS, which not every kernel has (this kind of machine has none), and a
    // service of one task has nothing to balance. The gateway balances over the replicas.
    EndpointSpec: { Mode: 'dnsrr' },
  };
  return {
    ...instance,
    containerName: name,
    serviceName: name,
    service,
    secrets: split.secrets,
    options: { ...o, Labels: { ...labels, [LABEL_INSTANCE]: instance.id } },
  };
}

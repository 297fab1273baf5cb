import type { ContainerTaskSpec, ServiceSpec } from 'dockerode';
import { stringify } from 'yaml';
import { planContainers } from '../docker/container-plan.js';
import type { ImageRefs } from '../docker/lab-images.js';
import { buildLabSpec, type LabSecrets } from '../spec.js';
import { INITDB_SCHEMA, planService, SECRETS_DIR } from './service-plan.js';
import { STACK_LOCAL_REPO, STACK_TAG, stackImageName } from './stack-images.js';

/**
 * compose/docker-stack.yml: the lab for `docker stack deploy`, for a swarm w2meet did not make.
 * compose/docker-compose.yml cannot be that file: the stack format refuses its health-gated
 * `depends_on`, its `start_interval` and its top-level `name`, ignores `build:`, and would publish
 * the gateway on every address of every node. So this one is derived from what `up --runtime
 * swarm` runs (the same service plan: w2meet's images, dnsrr names, the Engine's health checks,
 * passwords as swarm secrets, the gateway that follows replaced tasks), written in the stack format.
 */

/** Placeholders the plan carries where a password goes; each becomes `$W2MEET_…` in the recipe. */
const PLACEHOLDERS = {
  postgres: 'w2meet-stack-postgres-password',
  rabbitmq: 'w2meet-stack-rabbitmq-password',
  redis: 'w2meet-stack-redis-password',
} as const;

const PLACEHOLDER_SECRETS: LabSecrets = {
  postgresUser: 'w2meet',
  postgresPassword: PLACEHOLDERS.postgres,
  postgresDb: 'w2meet',
  rabbitUser: 'w2meet',
  rabbitPassword: PLACEHOLDERS.rabbitmq,
  redisPassword: PLACEHOLDERS.redis,
};

const ENV_OF: Record<keyof typeof PLACEHOLDERS, string> = {
  postgres: 'W2MEET_POSTGRES_PASSWORD',
  rabbitmq: 'W2MEET_RABBITMQ_PASSWORD',
  redis: 'W2MEET_REDIS_PASSWORD',
};

/** Where the stack's images come from: `W2MEET_IMAGE_REPO` (a registry's `host:port/w2meet` on a cluster), else this Engine's own (see stack-images.ts). */
export const STACK_IMAGE_REPO = `\${W2MEET_IMAGE_REPO:-${STACK_LOCAL_REPO}}`;

/** A stack secret's name: one per variable, shared by every service that reads it. */
const stackSecretName = (variable: string) => `w2meet_${variable.toLowerCase()}`;

/** The recipe of the file's header and the test: the secrets the stack reads, by name, with placeholders for the passwords. */
function plannedStack() {
  const spec = buildLabSpec(PLACEHOLDER_SECRETS, { name: 'stack' });
  const images = Object.fromEntries(spec.components.map((c) => [c.name, `IMAGE:${c.name}`])) as ImageRefs;
  const flavours = Object.fromEntries(spec.components.map((c) => [c.name, 'local' as const]));
  const containers = planContainers({ spec, images, flavours });
  return containers.map((c) => planService('stack', 'lab', c, PLACEHOLDER_SECRETS));
}

/** Every secret the stack reads (`w2meet_pg_dsn`, …) with its content for these passwords. */
export function stackSecretValues(
  secrets: Pick<LabSecrets, 'postgresPassword' | 'rabbitPassword' | 'redisPassword'>,
): Record<string, string> {
  const values = { postgres: secrets.postgresPassword, rabbitmq: secrets.rabbitPassword, redis: secrets.redisPassword };
  return Object.fromEntries(Object.entries(secretTemplates()).map(([name, template]) => [name, fillPasswords(template, (k) => values[k])]));
}

function fillPasswords(template: string, value: (k: keyof typeof PLACEHOLDERS) => string): string {
  let out = template;
  for (const k of Object.keys(PLACEHOLDERS) as Array<keyof typeof PLACEHOLDERS>) out = out.split(PLACEHOLDERS[k]).join(value(k));
  return out;
}

function secretTemplates(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const instance of plannedStack()) {
    for (const s of instance.secrets) out[stackSecretName(variableOf(instance.service, s.name))] = s.data;
  }
  return out;
}

/** The variable a planned secret stands for: the `NAME_FILE` entry that points at it. */
function variableOf(service: ServiceSpec, secret: string): string {
  const entry = ((service.TaskTemplate as ContainerTaskSpec | undefined)?.ContainerSpec?.Env ?? []).find((e) =>
    e.endsWith(`=${SECRETS_DIR}/${secret}`),
  )!;
  return entry.slice(0, entry.indexOf('_FILE='));
}

/** Compose's duration for the Engine's nanoseconds. */
function duration(ns: number | undefined): string {
  const ms = Math.round((ns ?? 0) / 1e6);
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

/** `$` is interpolation in a stack file: a literal one is written `$$`. */
function escapeDollars<T>(value: T): T {
  if (typeof value === 'string') return value.replace(/\$/g, '$$$$') as T;
  if (Array.isArray(value)) return value.map(escapeDollars) as T;
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, escapeDollars(v)])) as T;
  return value;
}

function stackService(instance: ReturnType<typeof plannedStack>[number]): Record<string, unknown> {
  const task = instance.service.TaskTemplate as ContainerTaskSpec;
  const c = task.ContainerSpec!;
  const secretOf = new Map(instance.secrets.map((s) => [s.name, stackSecretName(variableOf(instance.service, s.name))]));
  const env = (c.Env ?? []).map((e) => {
    const at = e.indexOf('=');
    const value = e.slice(at + 1);
    const secret = value.startsWith(`${SECRETS_DIR}/`) ? secretOf.get(value.slice(SECRETS_DIR.length + 1)) : undefined;
    return secret ? `${e.slice(0, at)}=${SECRETS_DIR}/${secret}` : e;
  });
  const volumes = (c.Mounts ?? []).filter((m) => m.Type === 'volume').map((m) => `${instance.name}:${m.Target}`);
  const isPostgres = instance.name === 'postgres';
  const health = c.HealthCheck!;
  const body = escapeDollars({
    hostname: c.Hostname,
    ...(c.Command ? { entrypoint: c.Command } : {}),
    ...(c.Args ? { command: c.Args } : {}),
    // Without w2meet to make the lab's database, Postgres makes it on its first start (see components/postgres.ts).
    environment: [...env, ...(isPostgres ? [`POSTGRES_DB=${PLACEHOLDER_SECRETS.postgresDb}`] : [])].sort(),
    ...(c.User ? { user: c.User } : {}),
    init: true,
    ...(c.StopSignal ? { stop_signal: c.StopSignal } : {}),
    stop_grace_period: duration(c.StopGracePeriod),
    healthcheck: {
      test: health.Test,
      interval: duration(health.Interval),
      timeout: duration(health.Timeout),
      retries: health.Retries,
      start_period: duration(health.StartPeriod),
    },
    ...(volumes.length ? { volumes } : {}),
  });
  const aliases = (task.Networks?.[0]?.Aliases ?? []).filter((a) => a !== instance.id);
  return {
    image: `${STACK_IMAGE_REPO}/${stackImageName(instance.name)}:${STACK_TAG}`,
    ...body,
    ...(secretOf.size ? { secrets: [...new Set(secretOf.values())].sort() } : {}),
    ...(isPostgres ? { configs: [{ source: 'w2meet_schema', target: INITDB_SCHEMA, mode: 0o444 }] } : {}),
    networks: aliases.length ? { lab: { aliases } } : ['lab'],
    deploy: {
      replicas: 1,
      endpoint_mode: 'dnsrr',
      restart_policy: { condition: 'any', delay: duration(task.RestartPolicy?.Delay) },
      // The data stays on the node whose volume holds it: one node, labelled by hand (with several
      // managers, \`node.role == manager\` would let it move to another's empty volume).
      ...(instance.volume ? { placement: { constraints: ['node.labels.w2meet-data == true'] } } : {}),
    },
    logging: { driver: 'json-file', options: { 'max-size': '20m', 'max-file': '2' } },
  };
}

function header(): string {
  const recipe = Object.entries(secretTemplates())
    .sort(([a], [b]) => a.localeCompare(b))
    .map(
      ([name, template]) =>
        `#   printf '%s' "${fillPasswords(template, (k) => `\${${ENV_OF[k]}:?set ${ENV_OF[k]}}`)}" | docker secret create ${name} -`,
    );
  return `# Generated from the swarm runtime's service plan (cli/src/lab/swarm/stack-file.ts) by \`npm run compose\`; do not edit by hand.
# The lab for \`docker stack deploy\` on a swarm w2meet did not make (see the README, "On a swarm").
# 1. Images: \`w2meet images build\` tags ${STACK_LOCAL_REPO}/*:latest on this Engine. On several nodes, push
#    them (\`w2meet images push --registry HOST:PORT\`: a registry every node reaches by that name,
#    listed in each node's "insecure-registries" if it has no TLS) and deploy with
#    W2MEET_IMAGE_REPO=HOST:PORT/w2meet.
# 2. The node that keeps the data (Postgres's and RabbitMQ's volumes): docker node update --label-add w2meet-data=true NODE
# 3. Secrets, once (URL-safe passwords, as from \`openssl rand -hex 16\`: they go into URLs):
${recipe.join('\n')}
# 4. docker stack deploy -c compose/docker-stack.yml w2meet
# Nothing is published: reach the gateway (gateway:8080 on the stack's attachable network) from a
# container on that network, or publish it on the node that runs it:
#   docker service update --publish-add mode=host,target=8080,published=8080 w2meet_gateway
`;
}

export function renderStack(): string {
  const planned = plannedStack();
  const services = Object.fromEntries(planned.map((i) => [i.id, stackService(i)]));
  const secrets = Object.fromEntries(
    Object.keys(secretTemplates())
      .sort()
      .map((n) => [n, { external: true }]),
  );
  const doc = {
    version: '3.8',
    services,
    networks: { lab: { driver: 'overlay', attachable: true } },
    volumes: Object.fromEntries(planned.filter((i) => i.volume).map((i) => [i.name, {}])),
    secrets,
    configs: { w2meet_schema: { file: './initdb/001-schema.sql' } },
  };
  return header() + stringify(doc, { lineWidth: 0, version: '1.1' });
}

import { stringify } from 'yaml';
import { OFFICIAL_IMAGES } from './docker/lab-images.js';
import { INNER_PORTS, SERVICE_HEALTH_CHECK } from './docker/container-plan.js';
import { REDIS_HEALTH, REDIS_START } from './docker/role-commands.js';
import { renderGatewayConfig } from './gateway-config.js';
import { instanceIds, instanceWaits } from './process/plan.js';
import { buildLabSpec, type AddressBook, type LabSecrets } from './spec.js';

/**
 * compose/docker-compose.yml for people who prefer plain `docker compose`, derived from the same
 * lab spec as the runtimes (a test fails when the committed file drifts from it). It uses the
 * official images and builds the services from `dist/services` (run `npm run build` first).
 * Passwords are never written down: compose asks for them from the environment.
 */
const SECRETS: LabSecrets = {
  postgresUser: 'w2meet',
  postgresPassword: '${W2MEET_POSTGRES_PASSWORD:?set W2MEET_POSTGRES_PASSWORD}',
  postgresDb: 'w2meet',
  rabbitUser: 'w2meet',
  rabbitPassword: '${W2MEET_RABBITMQ_PASSWORD:?set W2MEET_RABBITMQ_PASSWORD}',
  redisPassword: '${W2MEET_REDIS_PASSWORD:?set W2MEET_REDIS_PASSWORD}',
};

const HEALTH = { interval: '2s', timeout: '2s', retries: 3, start_period: '60s', start_interval: '250ms' };
const HEADER = `# Generated from the lab spec (cli/src/lab/spec.ts) by \`npm run compose\`; do not edit by hand.
# Usage: npm run build, then
#   W2MEET_POSTGRES_PASSWORD=... W2MEET_RABBITMQ_PASSWORD=... W2MEET_REDIS_PASSWORD=... docker compose -f compose/docker-compose.yml up --wait
# The gateway answers on http://127.0.0.1:8080.
`;

export interface ComposeFiles {
  'docker-compose.yml': string;
  'gateway.conf': string;
}

export function renderCompose(): ComposeFiles {
  const spec = buildLabSpec(SECRETS);
  const book: AddressBook = {
    hostPorts: (name) => instanceIds(spec.components.find((c) => c.name === name)!).map((id) => `${id}:${INNER_PORTS[name] ?? 8000}`),
  };
  const services: Record<string, unknown> = {};
  for (const c of spec.components) {
    const { dependsOn, startsAfter } = instanceWaits(spec, c);
    // The lab's two kinds of wait are compose's two conditions.
    const dependsOnEntries = Object.fromEntries([
      ...dependsOn.map((d) => [d, { condition: 'service_healthy' }]),
      ...startsAfter.map((d) => [d, { condition: 'service_started' }]),
    ]);
    for (const id of instanceIds(c)) {
      const base = { ...(dependsOn.length + startsAfter.length ? { depends_on: dependsOnEntries } : {}), networks: ['lab'] };
      if (c.kind === 'service') {
        services[id] = {
          build: { context: '../dist/services', dockerfile: `${c.name}.Dockerfile`, args: { BASE_IMAGE: OFFICIAL_IMAGES.node } },
          environment: { ...c.env!(book, SECRETS), PORT: '8000', HOST: '0.0.0.0', INSTANCE_ID: id },
          healthcheck: { test: SERVICE_HEALTH_CHECK, ...HEALTH },
          ...base,
        };
      } else if (c.name === 'postgres') {
        services[id] = {
          image: OFFICIAL_IMAGES.postgres,
          environment: { POSTGRES_USER: SECRETS.postgresUser, POSTGRES_PASSWORD: SECRETS.postgresPassword, POSTGRES_DB: SECRETS.postgresDb },
          volumes: ['postgres:/var/lib/postgresql/data', './initdb:/docker-entrypoint-initdb.d:ro'],
          healthcheck: { test: ['CMD-SHELL', 'pg_isready -q -h 127.0.0.1 -U w2meet -d w2meet'], ...HEALTH },
          stop_signal: 'SIGINT',
          ...base,
        };
      } else if (c.name === 'redis') {
        services[id] = {
          image: OFFICIAL_IMAGES.redis,
          environment: { REDIS_PASSWORD: SECRETS.redisPassword },
          user: 'redis',
          // The password goes through a file, not the command line that `ps` shows (compose reads $$ as $).
          command: ['sh', '-c', REDIS_START.replace(/\$/g, '$$$$')],
          healthcheck: { test: ['CMD-SHELL', REDIS_HEALTH.replace(/\$/g, '$$$$')], ...HEALTH },
          ...base,
        };
      } else if (c.name === 'rabbitmq') {
        services[id] = {
          image: OFFICIAL_IMAGES.rabbitmq,
          hostname: 'rabbitmq',
          environment: { RABBITMQ_DEFAULT_USER: SECRETS.rabbitUser, RABBITMQ_DEFAULT_PASS: SECRETS.rabbitPassword },
          volumes: ['rabbitmq:/var/lib/rabbitmq'],
          healthcheck: { test: ['CMD', 'bash', '-c', 'exec 3<>/dev/tcp/127.0.0.1/5672'], ...HEALTH },
          ...base,
        };
      } else {
        services[id] = {
          image: OFFICIAL_IMAGES.gateway,
          command: ['nginx', '-c', '/etc/w2meet/gateway.conf', '-g', 'daemon off;'],
          volumes: ['./gateway.conf:/etc/w2meet/gateway.conf:ro'],
          ports: ['127.0.0.1:8080:8080'],
          healthcheck: { test: ['CMD', 'curl', '-fsS', '-o', '/dev/null', 'http://127.0.0.1:8080/health'], ...HEALTH },
          ...base,
        };
      }
    }
  }
  const upstreams = Object.fromEntries(spec.components.filter((c) => c.kind === 'service').map((c) => [c.name, book.hostPorts(c.name)]));
  const gateway = renderGatewayConfig(spec, {
    listen: '8080', upstreams, pidFile: '/tmp/nginx.pid', errorLog: '/dev/stderr', accessLog: '/dev/stdout', tempDir: '/tmp/nginx',
  });
  const doc = { name: 'w2meet', services, networks: { lab: {} }, volumes: { postgres: {}, rabbitmq: {} } };
  return { 'docker-compose.yml': HEADER + stringify(doc, { lineWidth: 0, version: '1.1' }), 'gateway.conf': gateway };
}

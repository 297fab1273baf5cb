import { stringify } from 'yaml';
import { componentFor } from './components/catalogue.js';
import { containerGatewayConfig } from './components/gateway.js';
import { buildLabSpec, instanceIds, instanceWaits, type AddressBook, type LabSecrets } from './spec.js';
import { renderStack } from './swarm/stack-file.js';

/**
 * compose/docker-compose.yml for people who prefer plain `docker compose`, derived from the same
 * lab spec and component catalogue as the runtimes (a test fails when the committed file drifts
 * from it). It uses the official images and builds the services from `dist/services` (run
 * `npm run build` first). Passwords are never written down: compose asks for them from the environment.
 */
const SECRETS: LabSecrets = {
  postgresUser: 'w2meet',
  postgresPassword: '${W2MEET_POSTGRES_PASSWORD:?set W2MEET_POSTGRES_PASSWORD}',
  postgresDb: 'w2meet',
  rabbitUser: 'w2meet',
  rabbitPassword: '${W2MEET_RABBITMQ_PASSWORD:?set W2MEET_RABBITMQ_PASSWORD}',
  redisPassword: '${W2MEET_REDIS_PASSWORD:?set W2MEET_REDIS_PASSWORD}',
};

const HEADER = `# Generated from the lab spec (cli/src/lab/spec.ts, cli/src/lab/components/) by \`npm run compose\`; do not edit by hand.
# Usage: npm run build, then
#   W2MEET_POSTGRES_PASSWORD=... W2MEET_RABBITMQ_PASSWORD=... W2MEET_REDIS_PASSWORD=... docker compose -f compose/docker-compose.yml up --wait
# The gateway answers on http://127.0.0.1:8080.
`;

export interface ComposeFiles {
  'docker-compose.yml': string;
  'gateway.conf': string;
  /** The same lab for `docker stack deploy` (see swarm/stack-file.ts). */
  'docker-stack.yml': string;
}

export function renderCompose(): ComposeFiles {
  const spec = buildLabSpec(SECRETS);
  const book: AddressBook = {
    hostPorts: (name) => instanceIds(spec.components.find((c) => c.name === name)!).map((id) => `${id}:${componentFor(name).innerPort}`),
    keepPlaceholders: true,
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
      services[id] = {
        ...componentFor(c.name).compose({ spec, id, book, secrets: SECRETS }),
        ...(dependsOn.length + startsAfter.length ? { depends_on: dependsOnEntries } : {}),
        networks: ['lab'],
      };
    }
  }
  const doc = { name: 'w2meet', services, networks: { lab: {} }, volumes: { postgres: {}, rabbitmq: {} } };
  return {
    'docker-compose.yml': HEADER + stringify(doc, { lineWidth: 0, version: '1.1' }),
    'gateway.conf': containerGatewayConfig(spec, book),
    'docker-stack.yml': renderStack(),
  };
}

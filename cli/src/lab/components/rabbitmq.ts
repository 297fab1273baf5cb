import { join } from 'node:path';
import { OFFICIAL_IMAGES } from '../docker/official-images.js';
import { RABBITMQ_QUIET_SCHEDULERS } from '../rabbitmq-apps.js';
import type { LabSecrets } from '../spec-types.js';
import { COMPOSE_HEALTH, userInfo, type Component } from './component.js';

const PORT = 5672;

export function amqpUrl(hostPort: string, secrets: LabSecrets, keepPlaceholders = false): string {
  return `amqp://${userInfo(secrets.rabbitUser, secrets.rabbitPassword, keepPlaceholders)}@${hostPort}`;
}

/** The node name rabbitmqctl reaches the broker of a container by. */
export const CONTAINER_NODE_NAME = 'rabbit@rabbitmq';

const LOCAL_START = `set -e
[ -n "\${RABBITMQ_DEFAULT_PASS:-}" ] || RABBITMQ_DEFAULT_PASS=$(cat "$RABBITMQ_DEFAULT_PASS_FILE")
printf 'default_user = %s\\ndefault_pass = %s\\nloopback_users = none\\n' "$RABBITMQ_DEFAULT_USER" "$RABBITMQ_DEFAULT_PASS" > /etc/rabbitmq/rabbitmq.conf
echo '[].' > /etc/rabbitmq/enabled_plugins
chown -R rabbitmq:rabbitmq /var/lib/rabbitmq /etc/rabbitmq
exec setpriv --reuid=rabbitmq --regid=rabbitmq --init-groups -- env HOME=/var/lib/rabbitmq RABBITMQ_NODENAME=${CONTAINER_NODE_NAME} RABBITMQ_LOGS=- /usr/lib/rabbitmq/bin/rabbitmq-server`;

const PORT_OPEN = ['CMD', 'bash', '-c', `exec 3<>/dev/tcp/127.0.0.1/${PORT}`];

export const rabbitmq: Component = {
  name: 'rabbitmq',
  kind: 'infra',
  innerPort: PORT,
  stopSignal: 'SIGTERM',
  startTimeoutMs: 90_000,
  dependsOn: [],
  startsAfter: [],
  probe: (at, s) => ({ kind: 'amqp', url: amqpUrl(`${at.host}:${at.port}`, s) }),
  process: ({ spec, dir, host, port, binary, extraPort, baseEnv }) => {
    const home = join(dir, 'rabbitmq');
    return {
      command: binary('rabbitmq-server'),
      args: [],
      cwd: home,
      env: {
        ...baseEnv,
        HOME: home,
        RABBITMQ_NODENAME: `w2meet-${spec.name}@localhost`,
        RABBITMQ_NODE_IP_ADDRESS: host,
        RABBITMQ_NODE_PORT: String(port),
        RABBITMQ_DIST_PORT: String(extraPort('rabbitmq-dist')),
        ERL_EPMD_PORT: String(extraPort('epmd')),
        RABBITMQ_MNESIA_BASE: join(home, 'mnesia'),
        RABBITMQ_LOG_BASE: join(home, 'log'),
        RABBITMQ_LOGS: '-',
        RABBITMQ_CONFIG_FILE: join(home, 'rabbitmq.conf'),
        RABBITMQ_ADVANCED_CONFIG_FILE: join(home, 'advanced.config'),
        RABBITMQ_CONF_ENV_FILE: join(home, 'rabbitmq-env.conf'),
        RABBITMQ_ENABLED_PLUGINS_FILE: join(home, 'enabled_plugins'),
        RABBITMQ_PID_FILE: join(home, 'rabbitmq.pid'),
        // The distribution port listens on loopback like every other port of the lab (Erlang binds it to all addresses otherwise).
        RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS: `-start_epmd false -kernel inet_dist_use_interface {127,0,0,1} ${RABBITMQ_QUIET_SCHEDULERS}`,
      },
    };
  },
  container: ({ spec, flavour }) => {
    const env = {
      RABBITMQ_DEFAULT_USER: spec.secrets.rabbitUser,
      RABBITMQ_DEFAULT_PASS: spec.secrets.rabbitPassword,
      RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS: RABBITMQ_QUIET_SCHEDULERS,
    };
    // Its boot is the longest on the start-up's critical path and CPU-bound: on a small machine it
    // gets four times the default CPU weight while everything boots at once.
    const common = { env, dataPath: '/var/lib/rabbitmq', health: PORT_OPEN, cpuShares: 4096 };
    return flavour === 'local' ? { ...common, cmd: ['bash', '-c', LOCAL_START], replaceEntrypoint: true } : common;
  },
  compose: ({ secrets }) => ({
    image: OFFICIAL_IMAGES.rabbitmq,
    hostname: 'rabbitmq',
    environment: { RABBITMQ_DEFAULT_USER: secrets.rabbitUser, RABBITMQ_DEFAULT_PASS: secrets.rabbitPassword },
    volumes: ['rabbitmq:/var/lib/rabbitmq'],
    healthcheck: { test: PORT_OPEN, ...COMPOSE_HEALTH },
  }),
};

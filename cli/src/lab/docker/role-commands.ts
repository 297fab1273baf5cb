import { RABBITMQ_QUIET_SCHEDULERS } from '../rabbitmq-apps.js';
import type { ImageFlavour } from './lab-images.js';

/**
 * How each infrastructure role starts and proves it is healthy in a container, for the official
 * registry images and for w2meet's local Debian image (which holds every role in one tree).
 * Scripts read their credentials from the environment, never from the command line.
 */
export interface RoleRuntime {
  cmd?: string[];
  env: Record<string, string>;
  /** Where the role keeps its data (a named volume is mounted there). */
  dataPath?: string;
  health: string[];
  user?: string;
}

const LOCAL_POSTGRES = `set -e
D=/var/lib/postgresql/w2meet
BIN=$(ls -d /usr/lib/postgresql/*/bin | tail -n 1)
install -d -o postgres -g postgres /var/lib/postgresql /run/postgresql
# Postgres refuses a data folder others can read, and keeps it across restarts of the container.
install -d -m 0700 -o postgres -g postgres "$D"
if [ ! -s "$D/PG_VERSION" ]; then
  printf '%s\\n' "$POSTGRES_PASSWORD" > /tmp/pw && chown postgres /tmp/pw
  runuser -u postgres -- "$BIN/initdb" -D "$D" -U "$POSTGRES_USER" --pwfile=/tmp/pw --auth-host=scram-sha-256 --auth-local=trust -E UTF8 --locale=C.UTF-8 --no-sync >/dev/null
  rm -f /tmp/pw
  echo "host all all all scram-sha-256" >> "$D/pg_hba.conf"
fi
exec setpriv --reuid=postgres --regid=postgres --init-groups -- "$BIN/postgres" -D "$D" -c listen_addresses='*'`;

const LOCAL_RABBITMQ = `set -e
printf 'default_user = %s\\ndefault_pass = %s\\nloopback_users = none\\n' "$RABBITMQ_DEFAULT_USER" "$RABBITMQ_DEFAULT_PASS" > /etc/rabbitmq/rabbitmq.conf
echo '[].' > /etc/rabbitmq/enabled_plugins
chown -R rabbitmq:rabbitmq /var/lib/rabbitmq /etc/rabbitmq
exec setpriv --reuid=rabbitmq --regid=rabbitmq --init-groups -- env HOME=/var/lib/rabbitmq RABBITMQ_NODENAME=rabbit@rabbitmq RABBITMQ_LOGS=- /usr/lib/rabbitmq/bin/rabbitmq-server`;

/**
 * Redis with the lab's password, which comes from the environment into a config file: a
 * `--requirepass` argument would show in every `ps` on the host. With a password set, Redis's
 * protected mode has nothing to guard, so it listens on the lab network as it is.
 */
export const REDIS_START = `umask 077
printf 'requirepass %s\\n' "$REDIS_PASSWORD" > /tmp/redis.conf
exec redis-server /tmp/redis.conf --bind 0.0.0.0 --save '' --appendonly no`;
export const REDIS_HEALTH = 'REDISCLI_AUTH="$REDIS_PASSWORD" redis-cli ping | grep -q PONG';

/** nginx takes its whole configuration from the environment, so no file has to be copied in. */
const GATEWAY = 'printf "%s" "$W2MEET_NGINX_CONF" > /tmp/gateway.conf && mkdir -p /tmp/nginx && exec nginx -c /tmp/gateway.conf -g "daemon off;"';

const AMQP_PORT_OPEN = ['CMD', 'bash', '-c', 'exec 3<>/dev/tcp/127.0.0.1/5672'];

export function roleRuntime(role: 'postgres' | 'redis' | 'rabbitmq' | 'gateway', mode: ImageFlavour, env: Record<string, string>): RoleRuntime {
  switch (role) {
    case 'postgres':
      return mode === 'local'
        ? { cmd: ['bash', '-c', LOCAL_POSTGRES], env, dataPath: '/var/lib/postgresql', health: ['CMD-SHELL', 'pg_isready -q -h 127.0.0.1 -U "$POSTGRES_USER" -d postgres'] }
        : { env: { ...env, POSTGRES_DB: 'postgres' }, dataPath: '/var/lib/postgresql/data', health: ['CMD-SHELL', 'pg_isready -q -h 127.0.0.1 -U "$POSTGRES_USER" -d postgres'] };
    case 'redis':
      return mode === 'local'
        ? { cmd: ['setpriv', '--reuid=redis', '--regid=redis', '--init-groups', '--', 'sh', '-c', REDIS_START], env, health: ['CMD-SHELL', REDIS_HEALTH] }
        // The image drops to its redis user only when the command starts with redis-server: ask for it.
        : { cmd: ['sh', '-c', REDIS_START], env, health: ['CMD-SHELL', REDIS_HEALTH], user: 'redis' };
    case 'rabbitmq': {
      const quiet = { ...env, RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS: RABBITMQ_QUIET_SCHEDULERS };
      return mode === 'local'
        ? { cmd: ['bash', '-c', LOCAL_RABBITMQ], env: quiet, dataPath: '/var/lib/rabbitmq', health: AMQP_PORT_OPEN }
        : { env: quiet, dataPath: '/var/lib/rabbitmq', health: AMQP_PORT_OPEN };
    }
    case 'gateway':
      return { cmd: ['sh', '-c', GATEWAY], env, health: ['CMD', 'curl', '-fsS', '-o', '/dev/null', 'http://127.0.0.1:8080/health'] };
  }
}

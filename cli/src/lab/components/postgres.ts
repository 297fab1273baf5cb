import { join } from 'node:path';
import { applySchema } from './apply-schema.js';
import { OFFICIAL_IMAGES } from '../docker/official-images.js';
import type { LabSecrets } from '../spec-types.js';
import { COMPOSE_HEALTH, userInfo, type Component } from './component.js';

const PORT = 5432;

/** The connection URL of the lab's database (or another one on the same server). */
export function postgresUrl(hostPort: string, secrets: LabSecrets, database = secrets.postgresDb, keepPlaceholders = false): string {
  return `postgres://${userInfo(secrets.postgresUser, secrets.postgresPassword, keepPlaceholders)}@${hostPort}/${database}`;
}

/**
 * w2meet's local image has no entrypoint of Postgres's own: this one makes the data folder once
 * (kept across restarts of the container), with the lab's user and password, and starts the server.
 */
const LOCAL_START = `set -e
D=/var/lib/postgresql/w2meet
BIN=$(ls -d /usr/lib/postgresql/*/bin | tail -n 1)
install -d -o postgres -g postgres /var/lib/postgresql /run/postgresql
# Postgres refuses a data folder others can read, and keeps it across restarts of the container.
install -d -m 0700 -o postgres -g postgres "$D"
if [ ! -s "$D/PG_VERSION" ]; then
  # On Swarm the password is a secret mounted as a file (see swarm/service-plan.ts).
  [ -n "\${POSTGRES_PASSWORD:-}" ] || POSTGRES_PASSWORD=$(cat "$POSTGRES_PASSWORD_FILE")
  printf '%s\\n' "$POSTGRES_PASSWORD" > /tmp/pw && chown postgres /tmp/pw
  runuser -u postgres -- "$BIN/initdb" -D "$D" -U "$POSTGRES_USER" --pwfile=/tmp/pw --auth-host=scram-sha-256 --auth-local=trust -E UTF8 --locale=C.UTF-8 --no-sync >/dev/null
  rm -f /tmp/pw
  echo "host all all all scram-sha-256" >> "$D/pg_hba.conf"
fi
# Where no w2meet makes the lab's database (\`docker stack deploy\`), POSTGRES_DB names it: made
# here before the server listens, with the SQL files mounted in /docker-entrypoint-initdb.d, as
# Postgres's own image does. All or nothing: until the mark is written, a start tries again (the
# database only if missing; the schema's statements are idempotent).
if [ -n "\${POSTGRES_DB:-}" ] && [ "$POSTGRES_DB" != postgres ] && [ ! -e "$D/w2meet-initdb.done" ]; then
  runuser -u postgres -- "$BIN/pg_ctl" -D "$D" -w -o "-c listen_addresses=''" start >/dev/null
  echo "SELECT 1 FROM pg_database WHERE datname = :'db'" | runuser -u postgres -- "$BIN/psql" -qtA -v db="$POSTGRES_DB" -U "$POSTGRES_USER" -d postgres | grep -q 1 ||
    runuser -u postgres -- "$BIN/createdb" -U "$POSTGRES_USER" "$POSTGRES_DB"
  for f in /docker-entrypoint-initdb.d/*.sql; do
    [ -e "$f" ] && runuser -u postgres -- "$BIN/psql" -q -v ON_ERROR_STOP=1 -U "$POSTGRES_USER" -d "$POSTGRES_DB" -f "$f"
  done
  runuser -u postgres -- "$BIN/pg_ctl" -D "$D" -w -m fast stop >/dev/null
  touch "$D/w2meet-initdb.done"
fi
exec setpriv --reuid=postgres --regid=postgres --init-groups -- "$BIN/postgres" -D "$D" -c listen_addresses='*'`;

const READY = (database: string) => ['CMD-SHELL', `pg_isready -q -h 127.0.0.1 -U "$POSTGRES_USER" -d ${database}`];

export const postgres: Component = {
  name: 'postgres',
  kind: 'infra',
  innerPort: PORT,
  // Fast shutdown; the default (SIGTERM) waits for every client to leave.
  stopSignal: 'SIGINT',
  startTimeoutMs: 90_000,
  dependsOn: [],
  startsAfter: [],
  probe: (at, s) => ({ kind: 'postgres', dsn: postgresUrl(`${at.host}:${at.port}`, s, 'postgres') }),
  // The lab's database and schema, through one pg client on every runtime.
  afterHealthy: (_instance, at, s) => applySchema(s, at),
  process: ({ dir, host, port, binary, baseEnv, postgresUser }) => {
    const pgDir = join(dir, 'postgres');
    return {
      command: binary('postgres'),
      args: [
        '-D',
        join(pgDir, 'data'),
        '-p',
        String(port),
        '-c',
        `listen_addresses=${host}`,
        '-c',
        `unix_socket_directories=${join(pgDir, 'run')}`,
      ],
      env: baseEnv,
      cwd: pgDir,
      ...(postgresUser ?? {}),
    };
  },
  container: ({ spec, flavour }) => {
    const env = { POSTGRES_USER: spec.secrets.postgresUser, POSTGRES_PASSWORD: spec.secrets.postgresPassword };
    return flavour === 'local'
      ? { cmd: ['bash', '-c', LOCAL_START], env, dataPath: '/var/lib/postgresql', health: READY('postgres'), replaceEntrypoint: true }
      : { env: { ...env, POSTGRES_DB: 'postgres' }, dataPath: '/var/lib/postgresql/data', health: READY('postgres') };
  },
  compose: ({ secrets }) => ({
    image: OFFICIAL_IMAGES.postgres,
    environment: { POSTGRES_USER: secrets.postgresUser, POSTGRES_PASSWORD: secrets.postgresPassword, POSTGRES_DB: secrets.postgresDb },
    volumes: ['postgres:/var/lib/postgresql/data', './initdb:/docker-entrypoint-initdb.d:ro'],
    healthcheck: {
      test: ['CMD-SHELL', `pg_isready -q -h 127.0.0.1 -U ${secrets.postgresUser} -d ${secrets.postgresDb}`],
      ...COMPOSE_HEALTH,
    },
    stop_signal: 'SIGINT',
  }),
};

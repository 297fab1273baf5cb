import { join } from 'node:path';
import { OFFICIAL_IMAGES } from '../docker/official-images.js';
import { COMPOSE_HEALTH, composeEscape, userInfo, type Component } from './component.js';
import type { LabSecrets } from '../spec-types.js';

const PORT = 6379;

/** The URL the user service reaches Redis by: no user name, the lab's password. */
export function redisUrl(hostPort: string, secrets: LabSecrets, keepPlaceholders = false): string {
  return `redis://${userInfo('', secrets.redisPassword, keepPlaceholders)}@${hostPort}`;
}

/**
 * Redis with the lab's password, which comes from the environment (or, on Swarm, the secret file
 * REDIS_PASSWORD_FILE names) into a config file: a
 * `--requirepass` argument would show in every `ps` on the host. With a password set, Redis's
 * protected mode has nothing to guard, so it listens on the lab network as it is.
 */
const START = `umask 077
[ -n "\${REDIS_PASSWORD:-}" ] || REDIS_PASSWORD=$(cat "$REDIS_PASSWORD_FILE")
printf 'requirepass %s\\n' "$REDIS_PASSWORD" > /tmp/redis.conf
exec redis-server /tmp/redis.conf --bind 0.0.0.0 --save '' --appendonly no`;
const HEALTH = 'REDISCLI_AUTH="${REDIS_PASSWORD:-$(cat "$REDIS_PASSWORD_FILE" 2>/dev/null)}" redis-cli ping | grep -q PONG';

export const redis: Component = {
  name: 'redis',
  kind: 'infra',
  innerPort: PORT,
  stopSignal: 'SIGTERM',
  startTimeoutMs: 30_000,
  dependsOn: [],
  startsAfter: [],
  probe: (at, s) => ({ kind: 'redis', host: at.host, port: at.port, password: s.redisPassword }),
  process: ({ dir, host, port, binary, baseEnv }) => ({
    command: binary('redis-server'),
    // The password is in the config file (private to the lab), never on a command line others can read.
    args: [
      join(dir, 'redis', 'redis.conf'),
      '--port',
      String(port),
      '--bind',
      host,
      '--save',
      '',
      '--appendonly',
      'no',
      '--dir',
      join(dir, 'redis'),
    ],
    env: baseEnv,
  }),
  container: ({ spec, flavour }) => {
    const env = { REDIS_PASSWORD: spec.secrets.redisPassword };
    return flavour === 'local'
      ? {
          cmd: ['setpriv', '--reuid=redis', '--regid=redis', '--init-groups', '--', 'sh', '-c', START],
          env,
          health: ['CMD-SHELL', HEALTH],
          replaceEntrypoint: true,
        }
      : // The image drops to its redis user only when the command starts with redis-server: ask for it.
        { cmd: ['sh', '-c', START], env, health: ['CMD-SHELL', HEALTH], user: 'redis' };
  },
  compose: ({ secrets }) => ({
    image: OFFICIAL_IMAGES.redis,
    environment: { REDIS_PASSWORD: secrets.redisPassword },
    user: 'redis',
    // The password goes through a file, not the command line that `ps` shows.
    command: ['sh', '-c', composeEscape(START)],
    healthcheck: { test: ['CMD-SHELL', composeEscape(HEALTH)], ...COMPOSE_HEALTH },
  }),
};

import { join } from 'node:path';
import { OFFICIAL_IMAGES } from '../docker/official-images.js';
import { renderGatewayConfig } from '../gateway-config.js';
import type { AddressBook, LabSpec } from '../spec-types.js';
import { SERVICES } from './names.js';
import { COMPOSE_HEALTH, type Component } from './component.js';

const PORT = 8080;

/** nginx takes its whole configuration from the environment, so no file has to be copied in. */
const CONTAINER_START =
  'printf "%s" "$W2MEET_NGINX_CONF" > /tmp/gateway.conf && mkdir -p /tmp/nginx && exec nginx -c /tmp/gateway.conf -g "daemon off;"';
const HEALTH = ['CMD', 'curl', '-fsS', '-o', '/dev/null', `http://127.0.0.1:${PORT}/health`];

/**
 * The gateway's configuration inside a container (and the compose file): every replica by name.
 * Its access log goes to stdout, or to a file in `requestLogs` where the lab mounts that folder.
 */
export function containerGatewayConfig(spec: LabSpec, book: AddressBook, requestLogs?: string): string {
  const upstreams = Object.fromEntries(spec.components.filter((c) => c.kind === 'service').map((c) => [c.name, book.hostPorts(c.name)]));
  return renderGatewayConfig(spec, {
    listen: String(PORT),
    upstreams,
    pidFile: '/tmp/nginx.pid',
    errorLog: '/dev/stderr',
    accessLog: requestLogs ? `${requestLogs}/gateway.log` : '/dev/stdout',
    tempDir: '/tmp/nginx',
  });
}

export const gateway: Component = {
  name: 'gateway',
  kind: 'gateway',
  innerPort: PORT,
  stopSignal: 'SIGTERM',
  startTimeoutMs: 30_000,
  dependsOn: [],
  // nginx needs each upstream's name to resolve when it loads its configuration, so the services
  // have to exist (have started); it answers 502 for one that is not healthy yet.
  startsAfter: [...SERVICES],
  probe: (at) => ({ kind: 'http', url: `http://${at.host}:${at.port}/health` }),
  process: ({ dir, logs, binary, baseEnv }) => {
    const nginx = join(dir, 'nginx');
    return {
      command: binary('nginx'),
      args: ['-p', nginx, '-c', join(nginx, 'nginx.conf'), '-e', join(logs, 'gateway.log'), '-g', 'daemon off;'],
      env: baseEnv,
      extraLogFiles: [join(logs, 'gateway-access.log')],
    };
  },
  container: ({ spec, book, flavour, requestLogs }) => ({
    cmd: ['sh', '-c', CONTAINER_START],
    env: { W2MEET_NGINX_CONF: containerGatewayConfig(spec, book, requestLogs) },
    health: HEALTH,
    replaceEntrypoint: flavour === 'local',
  }),
  compose: () => ({
    image: OFFICIAL_IMAGES.gateway,
    command: ['nginx', '-c', '/etc/w2meet/gateway.conf', '-g', 'daemon off;'],
    volumes: ['./gateway.conf:/etc/w2meet/gateway.conf:ro'],
    ports: [`127.0.0.1:${PORT}:${PORT}`],
    healthcheck: { test: HEALTH, ...COMPOSE_HEALTH },
  }),
};

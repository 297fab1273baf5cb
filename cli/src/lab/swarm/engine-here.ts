import { PrerequisiteError } from '../../errors.js';

/**
 * Whether the Engine at DOCKER_HOST runs on this machine: its socket, or TCP on a loopback
 * address. From this machine w2meet reaches a swarm lab's tasks of its node on Docker's gateway
 * bridge and the gateway on 127.0.0.1; from another one it reaches neither (see remoteManager).
 */
export function engineOnThisMachine(env: NodeJS.ProcessEnv): boolean {
  return remoteManager(env) === null;
}

/** DOCKER_HOST as a URL: `host:port` alone is TCP, as the Docker client reads it. */
function dockerHostUrl(host: string): URL | null {
  try {
    return new URL(host.includes('://') ? host : `tcp://${host}`);
  } catch {
    return null;
  }
}

/**
 * The host of an Engine of another machine (TCP or SSH to a non-loopback address), or null for one
 * of this machine. A socket file counts as this machine's, even one forwarded from elsewhere
 * (`ssh -L /tmp/docker.sock:/var/run/docker.sock`): w2meet cannot tell, and probes as it would here.
 */
export function remoteManager(env: NodeJS.ProcessEnv): string | null {
  const host = env.DOCKER_HOST;
  if (!host || host.startsWith('unix://') || host.startsWith('npipe://')) return null;
  const url = dockerHostUrl(host);
  if (!url?.hostname) return host;
  const { hostname, username } = url;
  const loopback = hostname === 'localhost' || hostname === '[::1]' || hostname === '0.0.0.0' || /^127\./.test(hostname);
  if (loopback) return null;
  return username ? `${username}@${hostname}` : hostname;
}

/**
 * A lab (Docker, compose or swarm) is made through an Engine of another machine only over TLS: its passwords go to
 * it (its secrets, its volumes' labels). Plain TCP would carry them in the clear, and the SSH client
 * w2meet's Docker client uses does not check the host's key against known_hosts.
 */
export function requireSafeRemote(env: NodeJS.ProcessEnv): void {
  const manager = remoteManager(env);
  if (manager === null) return;
  const url = dockerHostUrl(env.DOCKER_HOST ?? '');
  // As the Docker client decides: TLS with DOCKER_TLS_VERIFY=1, or on port 2376.
  const tls = url?.protocol === 'tcp:' && (env.DOCKER_TLS_VERIFY === '1' || url.port === '2376');
  if (tls) return;
  const how = url?.protocol === 'ssh:' ? 'SSH without a check of its host key' : 'TCP without TLS';
  throw new PrerequisiteError(
    `DOCKER_HOST=${env.DOCKER_HOST} reaches ${manager} over ${how}: the lab's passwords would go to it unprotected`,
    'reach the manager over TLS (DOCKER_HOST=tcp://HOST:2376, DOCKER_TLS_VERIFY=1, DOCKER_CERT_PATH=a folder with ca.pem, cert.pem and key.pem), or run w2meet on the manager itself',
  );
}

/**
 * How a person on this machine reaches a lab's gateway published on the manager's 127.0.0.1, and
 * with --expose-infra its Postgres, Redis and RabbitMQ: an SSH tunnel of the same ports, so the
 * lab's addresses are the same here and there.
 */
export function gatewayTunnel(manager: string, gatewayUrl: string, infraPorts: Readonly<Record<string, number>> = {}): string {
  const port = Number(new URL(gatewayUrl).port);
  const infra = Object.entries(infraPorts);
  const also = infra.length ? ` (${infra.map(([name, p]) => `${name} on ${p}`).join(', ')})` : '';
  const forwards = [port, ...infra.map(([, p]) => p)].map((p) => `-L ${p}:127.0.0.1:${p}`).join(' ');
  // ExitOnForwardFailure: a port already taken here ends ssh, rather than leave whatever holds it to answer for the lab.
  return `the gateway listens on 127.0.0.1:${port} of ${manager}${also}; reach it from here with \`ssh -N -o ExitOnForwardFailure=yes ${forwards} ${manager}\``;
}

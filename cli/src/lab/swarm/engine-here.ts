/**
 * Whether the Engine at DOCKER_HOST runs on this machine: its socket, or TCP on a loopback
 * address. From this machine w2meet reaches a swarm lab's tasks of its node on Docker's gateway
 * bridge and the gateway on 127.0.0.1; from another one it reaches neither (see remoteManager).
 */
export function engineOnThisMachine(env: NodeJS.ProcessEnv): boolean {
  return remoteManager(env) === null;
}

/**
 * The host of an Engine of another machine (TCP or SSH to a non-loopback address), or null for one
 * of this machine. A socket file counts as this machine's, even one forwarded from elsewhere
 * (`ssh -L /tmp/docker.sock:/var/run/docker.sock`): w2meet cannot tell, and probes as it would here.
 */
export function remoteManager(env: NodeJS.ProcessEnv): string | null {
  const host = env.DOCKER_HOST;
  if (!host || host.startsWith('unix://') || host.startsWith('npipe://')) return null;
  let url: URL;
  try {
    url = new URL(host);
  } catch {
    return host;
  }
  const { hostname, username } = url;
  const loopback = hostname === 'localhost' || hostname === '[::1]' || hostname === '0.0.0.0' || /^127\./.test(hostname);
  if (loopback) return null;
  // ssh://user@host: the same user for the tunnel.
  return username ? `${username}@${hostname}` : hostname;
}

/**
 * How a person on this machine reaches a lab's gateway published on the manager's 127.0.0.1: an
 * SSH tunnel of the same port, so the gateway's URL is the same here and there.
 */
export function gatewayTunnel(manager: string, gatewayUrl: string): string {
  const port = new URL(gatewayUrl).port;
  return `the gateway listens on 127.0.0.1:${port} of ${manager}; reach it from here with \`ssh -N -L ${port}:127.0.0.1:${port} ${manager}\``;
}

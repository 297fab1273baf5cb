import { EngineLostError } from '../../errors.js';
import { dockerAddress } from './engine.js';

/** How a failed connect looks when it comes from Node's sockets (docker-modem passes them on as they are). */
interface ConnectError {
  syscall?: string;
  code?: string;
  address?: string;
  port?: number;
  message?: string;
}

const LOST = new Set(['ECONNREFUSED', 'ENOENT', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT']);

/**
 * The error to show when `err` is a failed connection to the Engine this command drives (the
 * socket or host and port of DOCKER_HOST), or null for anything else: a refused connection to a
 * lab's gateway or to a registry is not the Engine going away.
 */
export function engineLost(err: unknown, env: NodeJS.ProcessEnv = process.env): EngineLostError | null {
  // The socket's error itself, or the one a caller wrapped it in (`new Error(..., { cause })`).
  for (let e = err as (ConnectError & { cause?: unknown }) | null, depth = 0; e && depth < 4; e = e.cause as typeof e, depth++) {
    if (e.syscall !== 'connect' || !e.code || !LOST.has(e.code)) continue;
    const address = dockerAddress(env);
    if (isEngineEndpoint(address, e, env)) return new EngineLostError(address, e.message ?? e.code);
  }
  return null;
}

function isEngineEndpoint(address: string, e: ConnectError, env: NodeJS.ProcessEnv): boolean {
  if (address.startsWith('unix://')) return e.address === address.slice('unix://'.length);
  let url: URL;
  try {
    url = new URL(address.includes('://') ? address : `tcp://${address}`);
  } catch {
    return false;
  }
  if (url.protocol !== 'tcp:') return false;
  // No port given: Docker's own, 2376 with TLS and 2375 without.
  const port = Number(url.port || (env.DOCKER_TLS_VERIFY === '1' ? 2376 : 2375));
  if (e.port !== port) return false;
  // A host name is resolved before the connect, so the error names its address: the port decides then.
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return /^[\d.]+$|:/.test(host) ? e.address === host : true;
}

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
 * lab's gateway or to a registry is not the Engine going away. Only a failed connect is matched:
 * an Engine that dies with a request in flight gives a "socket hang up" that names no address, and
 * that stays an unexpected error rather than be guessed at.
 */
export function engineLost(err: unknown, env: NodeJS.ProcessEnv = process.env): EngineLostError | null {
  const address = dockerAddress(env);
  const connect = connectErrors(err).find((e) => isEngineEndpoint(address, e));
  return connect ? new EngineLostError(address, connect.message ?? connect.code!) : null;
}

/**
 * The failed connects in an error: itself, the one a caller wrapped (`{ cause }`), and each
 * attempt of a host name with several addresses (Node's AggregateError, one error per address).
 */
function connectErrors(err: unknown, depth = 0): ConnectError[] {
  const e = err as (ConnectError & { cause?: unknown; errors?: unknown[] }) | null;
  if (!e || typeof e !== 'object' || depth > 3) return [];
  const own = e.syscall === 'connect' && e.code && LOST.has(e.code) ? [e] : [];
  const inner = [...(Array.isArray(e.errors) ? e.errors : []), ...(e.cause ? [e.cause] : [])];
  return [...own, ...inner.flatMap((x) => connectErrors(x, depth + 1))];
}

function isEngineEndpoint(address: string, e: ConnectError): boolean {
  if (address.startsWith('unix://')) return e.address === address.slice('unix://'.length);
  let url: URL;
  try {
    url = new URL(address.includes('://') ? address : `tcp://${address}`);
  } catch {
    return false;
  }
  if (url.protocol !== 'tcp:') return false;
  // With no port the Docker client picks one and dockerode another (80): the host alone decides.
  if (url.port && e.port !== Number(url.port)) return false;
  // A host name is resolved before the connect, so the error names its address: the port decides then.
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return /^[\d.]+$|:/.test(host) ? e.address === host : Boolean(url.port);
}

import { dockerdCommandLines, readSmallRegularFile } from './local-dockerd.js';

/** Where Debian's Engine reads its settings unless dockerd is told another file. */
const DAEMON_JSON = '/etc/docker/daemon.json';

/** The argument w2meet starts its own Engine with: published ports by iptables alone, no copying process. */
export const NO_USERLAND_PROXY = '--userland-proxy=false';

/**
 * The arguments w2meet starts dockerd with: no userland proxy, unless the machine's daemon.json
 * already says either way (dockerd refuses a setting given both as a flag and in its file).
 */
export function dockerdArgs(daemonJson: string | null): string[] {
  return daemonJson !== null && proxyInDaemonJson(daemonJson) !== null ? [] : [NO_USERLAND_PROXY];
}

/** The machine's daemon.json, or null where there is none. */
export function readDaemonJson(): string | null {
  return readSmallRegularFile(DAEMON_JSON);
}

/** Whether a daemon.json turns the proxy off; null when it does not say (or cannot be read). */
export function proxyInDaemonJson(text: string): boolean | null {
  try {
    const value = (JSON.parse(text) as Record<string, unknown>)['userland-proxy'];
    return typeof value === 'boolean' ? value : null;
  } catch {
    return null;
  }
}

/** Whether a dockerd command line turns the proxy off or on; null when it does not say. */
export function proxyInArgs(args: string[]): boolean | null {
  for (const a of args) {
    const m = /^--userland-proxy(?:=(true|false))?$/.exec(a);
    if (m) return m[1] !== 'false';
  }
  return null;
}

/**
 * Whether the local Engine copies every connection to a published port through its userland
 * proxy (`docker-proxy`, one process per port): on unless its command line or daemon.json turns it
 * off. Null when no local dockerd is found (an Engine elsewhere, or in a VM).
 */
export function localUserlandProxy(proc = '/proc'): boolean | null {
  const lines = dockerdCommandLines(proc);
  if (!lines.length) return null;
  const args = lines[0]!;
  const fromArgs = proxyInArgs(args);
  if (fromArgs !== null) return fromArgs;
  const configAt = args.indexOf('--config-file');
  const config = configAt >= 0 ? args[configAt + 1] : args.find((a) => a.startsWith('--config-file='))?.split('=')[1];
  const text = readSmallRegularFile(config ?? DAEMON_JSON);
  return (text === null ? null : proxyInDaemonJson(text)) ?? true;
}

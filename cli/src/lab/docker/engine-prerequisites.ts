import { accessSync, constants, existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/**
 * What doctor knows of Docker on this machine. A `docker` command is only a client: machines of
 * this kind may ship one with no Engine behind it, so the Engine program (`dockerd`) and an Engine
 * that answers are facts of their own.
 */
export interface DockerFacts {
  /** The `docker` client, or null. */
  client: string | null;
  /** The Engine's program, `dockerd`, or null when no Engine is installed. */
  dockerd: string | null;
  /** The Engine's version when one answers at `address`, else null. */
  answering: string | null;
  /** Where the Engine was asked: DOCKER_HOST, or the default socket. */
  address: string;
  /** Whether DOCKER_HOST points somewhere else than the default socket (then w2meet cannot start that Engine). */
  remote: boolean;
  /** Whether systemd runs this machine and has a docker unit (then systemd, not w2meet, starts it). */
  systemdUnit: boolean;
  /** Whether the local Engine copies published ports through docker-proxy; null when unknown. */
  userlandProxy: boolean | null;
}

export interface FactSources {
  /** The folders searched for programs, in order (PATH, then the sbin folders root's PATH has). */
  path: string[];
  env: NodeJS.ProcessEnv;
  /** Asks the Engine at the address for its version; null when it does not answer. */
  probe: () => Promise<string | null>;
  /** Whether systemd manages a docker unit here. */
  systemdUnit: () => boolean;
  /** Whether the local dockerd runs its userland proxy; null when there is none to look at. */
  userlandProxy?: () => boolean | null;
}

export const DEFAULT_DOCKER_SOCKET = 'unix:///var/run/docker.sock';

export function programIn(folders: string[], name: string): string | null {
  for (const dir of folders) {
    if (!dir) continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return null;
}

export function searchPath(env: NodeJS.ProcessEnv = process.env): string[] {
  return [...(env.PATH ?? '').split(delimiter), '/usr/sbin', '/sbin'];
}

/** systemd is PID 1 when /run/systemd/system exists; the unit is Debian's docker.io one. */
export function systemdHasDockerUnit(): boolean {
  return (
    existsSync('/run/systemd/system') &&
    (existsSync('/lib/systemd/system/docker.service') || existsSync('/etc/systemd/system/docker.service'))
  );
}

export async function gatherDockerFacts(sources: FactSources): Promise<DockerFacts> {
  const host = sources.env.DOCKER_HOST;
  return {
    client: programIn(sources.path, 'docker'),
    dockerd: programIn(sources.path, 'dockerd'),
    answering: await sources.probe(),
    address: host ?? DEFAULT_DOCKER_SOCKET,
    remote: !!host && host !== DEFAULT_DOCKER_SOCKET && host !== 'unix:///run/docker.sock',
    systemdUnit: sources.systemdUnit(),
    userlandProxy: sources.userlandProxy?.() ?? null,
  };
}

export type DockerFixStep =
  /** apt-get install docker.io: no Engine program, whatever client is on the PATH. */
  | 'install-docker.io'
  /** systemctl start docker: systemd owns the Engine here. */
  | 'systemctl-start'
  /** dockerd in the background, its pid and log in w2meet's engine folder. */
  | 'start-background';

/**
 * What `doctor --fix` does about Docker, decided from the facts alone. An Engine that answers needs
 * nothing, whatever else is missing from the client side; one at a DOCKER_HOST elsewhere can only be
 * reported, never started from here.
 */
export function dockerFixPlan(facts: DockerFacts): DockerFixStep[] {
  const steps: DockerFixStep[] = [];
  if (!facts.dockerd && !facts.answering) steps.push('install-docker.io');
  if (facts.answering || facts.remote) return steps;
  steps.push(facts.systemdUnit ? 'systemctl-start' : 'start-background');
  return steps;
}

export interface DoctorCheck {
  name: string;
  ok: boolean;
  detail: string;
  fix: string;
  /** Debian packages that fix it, for --fix. */
  packages?: string[];
  build?: boolean;
  /** Not missing, but worth knowing: shown as a note with `fix` as the advice, never failing doctor. */
  note?: boolean;
}

/**
 * What the userland proxy costs, measured here (npm run bench:runtimes, 2 cores): docker-proxy took
 * about a third of a core carrying 3,000 cache hits a second to the gateway.
 */
const PROXY_COST =
  "every request to the lab's published port is copied by docker-proxy (about a third of a core at 3,000 req/s on 2 cores)";

/** The userland proxy's line, where an Engine answers here and its setting could be read. */
function proxyCheck(facts: DockerFacts): DoctorCheck[] {
  if (!facts.answering || facts.remote || facts.userlandProxy === null) return [];
  return [
    facts.userlandProxy
      ? {
          name: 'userland proxy',
          ok: true,
          note: true,
          detail: `on: ${PROXY_COST}`,
          fix: 'set "userland-proxy": false in /etc/docker/daemon.json and restart the Engine (the one `doctor --fix` starts runs without it)',
        }
      : { name: 'userland proxy', ok: true, detail: 'off: published ports are reached by iptables alone', fix: '' },
  ];
}

/** The Docker lines of `w2meet doctor`: client, Engine installed, Engine answering, and its userland proxy. */
export function dockerChecks(facts: DockerFacts): DoctorCheck[] {
  const engineFix = facts.remote
    ? `start the Engine at DOCKER_HOST=${facts.address}, or unset DOCKER_HOST`
    : facts.systemdUnit
      ? 'systemctl start docker'
      : 'w2meet doctor --fix (starts dockerd in the background; `w2meet doctor --stop-engine` stops it)';
  return [
    {
      name: 'docker client',
      ok: !!facts.client,
      detail: facts.client ?? 'not found (the `docker` command; w2meet itself talks to the Engine API)',
      fix: 'apt-get install -y docker.io',
      packages: ['docker.io'],
    },
    {
      name: 'docker engine',
      // An Engine that answers is installed somewhere, even if not on this PATH.
      ok: !!facts.dockerd || !!facts.answering,
      detail:
        facts.dockerd ??
        (facts.answering
          ? `not on this machine's PATH; one answers at ${facts.address}`
          : 'not installed: no dockerd (a docker client is not an Engine)'),
      fix: 'apt-get install -y docker.io',
      packages: ['docker.io'],
    },
    {
      name: 'engine answering',
      ok: !!facts.answering,
      detail: facts.answering ? `Docker ${facts.answering} at ${facts.address}` : `no answer at ${facts.address}`,
      fix: engineFix,
    },
    ...proxyCheck(facts),
  ];
}

import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { dockerChecks, dockerFixPlan, gatherDockerFacts, type FactSources } from './engine-prerequisites.js';
import { dockerdArgs, proxyInArgs, proxyInDaemonJson } from './userland-proxy.js';

// A fake PATH: folders holding executable stand-ins for `docker` and `dockerd`, nothing else.
const folders: string[] = [];
function fakePath(programs: string[]): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'w2meet-fake-path-'));
  folders.push(dir);
  for (const name of programs) {
    writeFileSync(join(dir, name), '#!/bin/sh\nexit 0\n');
    chmodSync(join(dir, name), 0o755);
  }
  return [dir];
}
afterEach(() => {
  for (const dir of folders.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function sources(programs: string[], engineVersion: string | null, extra: Partial<FactSources> = {}): FactSources {
  return { path: fakePath(programs), env: {}, probe: async () => engineVersion, systemdUnit: () => false, ...extra };
}

const line = (checks: ReturnType<typeof dockerChecks>, name: string) => checks.find((c) => c.name === name)!;

describe("doctor's Docker decisions", () => {
  it('a client alone is no Engine: docker.io is installed, then an Engine started', async () => {
    const facts = await gatherDockerFacts(sources(['docker'], null));
    expect(facts.client).toMatch(/docker$/);
    expect(facts.dockerd).toBeNull();
    expect(dockerFixPlan(facts)).toEqual(['install-docker.io', 'start-background']);
    const checks = dockerChecks(facts);
    expect(line(checks, 'docker client').ok).toBe(true);
    expect(line(checks, 'docker engine')).toMatchObject({ ok: false, packages: ['docker.io'] });
    expect(line(checks, 'docker engine').detail).toContain('a docker client is not an Engine');
    expect(line(checks, 'engine answering').ok).toBe(false);
  });

  it('an Engine installed but silent is started in the background, nothing installed', async () => {
    const facts = await gatherDockerFacts(sources(['docker', 'dockerd'], null));
    expect(dockerFixPlan(facts)).toEqual(['start-background']);
    expect(line(dockerChecks(facts), 'docker engine').ok).toBe(true);
    expect(line(dockerChecks(facts), 'engine answering').fix).toContain('doctor --fix');
  });

  it('an Engine that answers needs nothing', async () => {
    const facts = await gatherDockerFacts(sources(['docker', 'dockerd'], '20.10.24'));
    expect(dockerFixPlan(facts)).toEqual([]);
    expect(dockerChecks(facts).every((c) => c.ok)).toBe(true);
  });

  it('an Engine that answers with no dockerd on this PATH (a remote or rootless one) needs nothing installed', async () => {
    const facts = await gatherDockerFacts(sources([], '27.0.1'));
    expect(dockerFixPlan(facts)).toEqual([]);
    expect(line(dockerChecks(facts), 'docker engine').ok).toBe(true);
    expect(line(dockerChecks(facts), 'docker client').ok).toBe(false);
  });

  it('systemd, where it runs the machine and has the unit, starts the Engine instead of w2meet', async () => {
    const facts = await gatherDockerFacts(sources(['docker', 'dockerd'], null, { systemdUnit: () => true }));
    expect(dockerFixPlan(facts)).toEqual(['systemctl-start']);
    expect(line(dockerChecks(facts), 'engine answering').fix).toBe('systemctl start docker');
  });

  it('a silent DOCKER_HOST elsewhere is reported, never started from here', async () => {
    const facts = await gatherDockerFacts(sources(['docker', 'dockerd'], null, { env: { DOCKER_HOST: 'tcp://127.0.0.1:2375' } }));
    expect(facts.remote).toBe(true);
    expect(dockerFixPlan(facts)).toEqual([]);
    expect(line(dockerChecks(facts), 'engine answering')).toMatchObject({ ok: false, detail: 'no answer at tcp://127.0.0.1:2375' });
  });
});

describe('the userland proxy line', () => {
  it('is a note with the way to turn it off when the local Engine runs it, and plain when it does not', async () => {
    const on = dockerChecks(await gatherDockerFacts(sources(['docker', 'dockerd'], '20.10.24', { userlandProxy: () => true })));
    expect(line(on, 'userland proxy')).toMatchObject({ ok: true, note: true, fix: expect.stringContaining('"userland-proxy": false') });
    const off = dockerChecks(await gatherDockerFacts(sources(['docker', 'dockerd'], '20.10.24', { userlandProxy: () => false })));
    expect(line(off, 'userland proxy')).toMatchObject({ ok: true, detail: expect.stringContaining('off') });
    expect(line(off, 'userland proxy').note).toBeUndefined();
    // No Engine answering, or none here to look at: nothing to say.
    const silent = dockerChecks(await gatherDockerFacts(sources(['docker', 'dockerd'], null, { userlandProxy: () => true })));
    expect(silent.find((c) => c.name === 'userland proxy')).toBeUndefined();
  });

  it('reads the setting from dockerd’s arguments first, then daemon.json', () => {
    expect(proxyInArgs(['/usr/sbin/dockerd', '--userland-proxy=false'])).toBe(false);
    expect(proxyInArgs(['/usr/sbin/dockerd', '--userland-proxy'])).toBe(true);
    expect(proxyInArgs(['/usr/sbin/dockerd', '-H', 'fd://'])).toBeNull();
    expect(proxyInDaemonJson('{"userland-proxy": false, "iptables": true}')).toBe(false);
    expect(proxyInDaemonJson('{"log-driver": "local"}')).toBeNull();
    expect(proxyInDaemonJson('not json')).toBeNull();
  });

  it('starts dockerd without the proxy, unless daemon.json already decides (dockerd refuses a setting given twice)', () => {
    expect(dockerdArgs(null)).toEqual(['--userland-proxy=false']);
    expect(dockerdArgs('{"log-driver": "local"}')).toEqual(['--userland-proxy=false']);
    expect(dockerdArgs('{"userland-proxy": false}')).toEqual([]);
    expect(dockerdArgs('{"userland-proxy": true}')).toEqual([]);
  });
});

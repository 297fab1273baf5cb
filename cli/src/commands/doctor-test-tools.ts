import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { DoctorCheck } from '../lab/docker/engine-prerequisites.js';
import { onPath } from '../lab/process/binaries.js';

/** Where Docker's CLI finds a compose plugin (Debian's docker-compose-plugin, Docker's own packages). */
const COMPOSE_PLUGINS = [
  '/usr/libexec/docker/cli-plugins/docker-compose',
  '/usr/lib/docker/cli-plugins/docker-compose',
  '/usr/local/lib/docker/cli-plugins/docker-compose',
  join(homedir(), '.docker', 'cli-plugins', 'docker-compose'),
];

/**
 * What only the test suite needs, so that no test is skipped on a machine where `doctor --fix
 * --test-tools` ran (the quick start and .ci/run do): a headless browser that renders the HTML
 * report, xmllint for the JUnit XML's schema, tmux for the dashboard's real terminal, and a compose
 * implementation for the foreign deployment `grade --compose` is tested on.
 */
export function testToolChecks(): DoctorCheck[] {
  const tools = [
    ['chromium', 'chromium', 'the HTML report rendered in a browser'],
    ['xmllint', 'libxml2-utils', 'the JUnit XML checked against its schema'],
    ['tmux', 'tmux', "the dashboard's tests in a real terminal"],
  ] as const;
  const out: DoctorCheck[] = tools.map(([name, pkg, why]) => {
    const path = onPath(name);
    return { name, ok: !!path, detail: path ?? `not found (the tests of ${why})`, fix: `apt-get install -y ${pkg}`, packages: [pkg] };
  });
  const compose = onPath('docker-compose') ?? COMPOSE_PLUGINS.find((p) => existsSync(p)) ?? null;
  out.push({
    name: 'compose',
    ok: !!compose,
    detail: compose ?? 'not found (the tests of grade --compose)',
    fix: 'apt-get install -y docker-compose',
    packages: ['docker-compose'],
  });
  return out;
}

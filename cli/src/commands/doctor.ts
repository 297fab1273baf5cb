import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { findBinary, onPath, PROCESS_BINARIES, type BinaryName } from '../lab/process/binaries.js';
import { packageRoot } from '../lab/paths.js';
import { systemUser } from '../lab/process/prepare.js';
import { SERVICES } from '../lab/spec.js';
import { table } from './format.js';

interface Check {
  name: string;
  ok: boolean;
  detail: string;
  fix: string;
  /** Debian packages that fix it, for --fix. */
  packages?: string[];
  build?: boolean;
}

function checks(): Check[] {
  const out: Check[] = [];
  const major = Number(process.versions.node.split('.')[0]);
  out.push({ name: 'node', ok: major >= 20, detail: process.version, fix: 'install Node.js 20 or newer' });
  const root = packageRoot();
  const built = SERVICES.every((s) => existsSync(join(root, 'dist', 'services', `${s}.cjs`)));
  out.push({ name: 'service bundles', ok: built, detail: built ? 'dist/services' : 'not built', fix: 'npm run build', build: true });
  for (const name of Object.keys(PROCESS_BINARIES) as BinaryName[]) {
    const path = findBinary(name);
    const pkg = PROCESS_BINARIES[name].package;
    out.push({ name, ok: !!path, detail: path ?? 'not found', fix: `apt-get install -y ${pkg}`, packages: [pkg] });
  }
  const dockerTools = [
    ['docker', 'docker.io', 'the Docker runtime'],
    ['debootstrap', 'debootstrap', 'local images'],
    ['docker-registry', 'docker-registry', 'a local registry for `images push` and its tests'],
  ] as const;
  for (const [name, pkg, why] of dockerTools) {
    const path = onPath(name);
    out.push({ name, ok: !!path, detail: path ?? `not found (needed by ${why})`, fix: `apt-get install -y ${pkg}`, packages: [pkg] });
  }
  if (process.getuid?.() === 0) {
    const pg = systemUser('postgres');
    out.push({
      name: 'postgres user', ok: !!pg, detail: pg ? `uid ${pg.uid}` : 'missing (Postgres will not run as root)',
      fix: 'apt-get install -y postgresql', packages: ['postgresql'],
    });
  }
  return out;
}

function run(command: string, args: string[]): boolean {
  process.stderr.write(`$ ${command} ${args.join(' ')}\n`);
  const result = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  return result.status === 0;
}

export function registerDoctor(program: Command): void {
  program
    .command('doctor')
    .description('check what the lab needs on this machine, with the exact fix for each')
    .option('--fix', 'install what is missing (Debian, as root) and build the services', false)
    .action(async (options: { fix: boolean }) => {
      let results = checks();
      const missing = results.filter((c) => !c.ok);
      if (options.fix && missing.length) {
        const packages = [...new Set(missing.flatMap((c) => c.packages ?? []))];
        if (packages.length) {
          if (process.getuid?.() !== 0) {
            process.stderr.write(`--fix installs Debian packages and needs root: sudo apt-get install -y ${packages.join(' ')}\n`);
          } else {
            run('apt-get', ['update', '-qq']);
            run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...packages]);
          }
        }
        if (missing.some((c) => c.build)) run('npm', ['run', 'build', '--prefix', packageRoot()]);
        results = checks();
      }
      const rows = [['', 'CHECK', 'FOUND', 'FIX'], ...results.map((c) => [c.ok ? 'ok' : 'MISSING', c.name, c.detail, c.ok ? '' : c.fix])];
      process.stdout.write(`${table(rows)}\n`);
      const bad = results.filter((c) => !c.ok);
      if (bad.length) {
        process.stdout.write(`\n${bad.length} missing: run \`w2meet doctor --fix\` as root, or the fixes above\n`);
        process.exitCode = 1;
      } else {
        process.stdout.write('\neverything both runtimes need is installed\n');
      }
    });
}

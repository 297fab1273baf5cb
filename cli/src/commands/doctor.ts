import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { AbortedError, DoctorFixError } from '../errors.js';
import { runChildCommand } from '../lab/child-command.js';
import { findBinary, onPath, PROCESS_BINARIES, type BinaryName } from '../lab/process/binaries.js';
import { packageRoot } from '../shared/paths.js';
import { systemUser } from '../lab/process/prepare.js';
import { SERVICES } from '../lab/spec.js';
import { dockerClient, pingDocker } from '../lab/docker/engine.js';
import {
  dockerChecks,
  dockerFixPlan,
  gatherDockerFacts,
  searchPath,
  systemdHasDockerUnit,
  type DockerFacts,
  type DoctorCheck,
} from '../lab/docker/engine-prerequisites.js';
import { engineDir, startBackgroundEngine, stopRecordedEngine } from '../lab/docker/background-engine.js';
import { localUserlandProxy } from '../lab/docker/userland-proxy.js';
import { onInterrupt } from '../signals.js';
import { testToolChecks } from './doctor-test-tools.js';
import { table } from './format.js';

function dockerFacts(): Promise<DockerFacts> {
  return gatherDockerFacts({
    path: searchPath(),
    env: process.env,
    probe: () => pingDocker(dockerClient()),
    systemdUnit: systemdHasDockerUnit,
    userlandProxy: localUserlandProxy,
  });
}

function hostChecks(docker: DockerFacts): DoctorCheck[] {
  const out: DoctorCheck[] = [];
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
  out.push(...dockerChecks(docker));
  const dockerTools = [
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
      name: 'postgres user',
      ok: !!pg,
      detail: pg ? `uid ${pg.uid}` : 'missing (Postgres will not run as root)',
      fix: 'apt-get install -y postgresql',
      packages: ['postgresql'],
    });
  }
  return out;
}

/**
 * One step of --fix, in sight: its lines go to stderr as they come. Returns whether it succeeded;
 * a failure is said in one line, its output being above already. Ctrl-C ends it (AbortedError).
 */
async function run(command: string, args: string[], signal: AbortSignal): Promise<boolean> {
  process.stderr.write(`$ ${command} ${args.join(' ')}\n`);
  try {
    await runChildCommand(command, args, {
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
      signal,
      code: 'DOCTOR_FIX',
      onLine: (line) => process.stderr.write(`${line}\n`),
    });
    return true;
  } catch (err) {
    if (err instanceof AbortedError) throw err;
    process.stderr.write(`${err instanceof Error ? err.message.split('\n')[0] : String(err)}\n`);
    return false;
  }
}

/** Starts the Engine the way this machine runs one: systemd's unit, or dockerd in the background. */
async function startEngine(facts: DockerFacts, signal: AbortSignal): Promise<void> {
  const plan = dockerFixPlan(facts);
  if (plan.includes('systemctl-start')) {
    // A failure is left to the checks that follow: they say the Engine does not answer.
    await run('systemctl', ['start', 'docker'], signal);
  } else if (plan.includes('start-background') && facts.dockerd) {
    process.stderr.write(`starting dockerd in the background (log and pid in ${engineDir()}) ...\n`);
    const { version, record } = await startBackgroundEngine(dockerClient(), facts.dockerd);
    process.stderr.write(
      `Docker Engine ${version} answers at ${facts.address} (dockerd pid ${record.pid}, log ${record.log}); ` +
        'stop it with `w2meet doctor --stop-engine`\n',
    );
  }
}

async function fix(checks: DoctorCheck[], startEngineToo: boolean, signal: AbortSignal): Promise<void> {
  const isRoot = process.getuid?.() === 0;
  const missing = checks.filter((c) => !c.ok);
  const packages = [...new Set(missing.flatMap((c) => c.packages ?? []))];
  if (packages.length) {
    if (!isRoot) {
      process.stderr.write(`--fix installs Debian packages and needs root: sudo apt-get install -y ${packages.join(' ')}\n`);
      return;
    }
    // Old lists may still do: the install says so if they do not.
    await run('apt-get', ['update', '-qq'], signal);
    // The command has no terminal to ask on (its own process group, stdin closed): a changed
    // configuration file of an installed package is kept, as the prompt's default would.
    const keepConfig = ['-o', 'Dpkg::Options::=--force-confdef', '-o', 'Dpkg::Options::=--force-confold'];
    if (!(await run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...keepConfig, ...packages], signal))) {
      throw new DoctorFixError(packages);
    }
  }
  // A failed build is left to the checks that follow: they say the bundles are missing.
  if (missing.some((c) => c.build)) await run('npm', ['run', 'build', '--prefix', packageRoot()], signal);
  if (startEngineToo && isRoot) await startEngine(await dockerFacts(), signal);
}

export function registerDoctor(program: Command): void {
  program
    .command('doctor')
    .description('check what the lab needs on this machine, with the exact fix for each')
    .option('--fix', 'install what is missing (Debian, as root), build the services, and start a Docker Engine where none answers', false)
    .option('--no-start-engine', 'with --fix: install docker.io but start no Engine (for a lab on local processes)')
    .option('--test-tools', 'also check (and with --fix install) what only the test suite needs: chromium, xmllint, tmux, compose', false)
    .option('--stop-engine', 'stop the Docker Engine that `doctor --fix` started in the background, and only that one', false)
    .action(async (options: { fix: boolean; startEngine: boolean; stopEngine: boolean; testTools: boolean }) => {
      if (options.stopEngine) {
        const outcome = await stopRecordedEngine();
        process.stdout.write(
          outcome.stopped ? `stopped the Docker Engine w2meet started (dockerd pid ${outcome.pid})\n` : `nothing to stop: ${outcome.why}\n`,
        );
        return;
      }
      const checks = (facts: DockerFacts) => [...hostChecks(facts), ...(options.testTools ? testToolChecks() : [])];
      let docker = await dockerFacts();
      let results = checks(docker);
      if (options.fix) {
        const { signal, dispose } = onInterrupt('interrupted; stopping --fix (Ctrl-C again to quit at once)');
        try {
          await fix(results, options.startEngine, signal);
        } finally {
          dispose();
        }
        docker = await dockerFacts();
        results = checks(docker);
      }
      // Asked not to start an Engine, a silent one is what was asked for, not something missing.
      const skipped = (c: DoctorCheck) => !c.ok && options.fix && !options.startEngine && c.name === 'engine answering';
      const rows = [
        ['', 'CHECK', 'FOUND', 'FIX'],
        ...results.map((c) => [
          c.note ? 'note' : c.ok ? 'ok' : skipped(c) ? 'skipped' : 'MISSING',
          c.name,
          skipped(c) ? `${c.detail} (--no-start-engine)` : c.detail,
          c.note ? c.fix : c.ok || skipped(c) ? '' : c.fix,
        ]),
      ];
      process.stdout.write(`${table(rows)}\n`);
      // Without an Engine the process runtime still works: say so, so "missing" is not read as "nothing works".
      const bad = results.filter((c) => !c.ok && !skipped(c));
      if (bad.length) {
        const fixCommand = `w2meet doctor --fix${options.testTools ? ' --test-tools' : ''}`;
        process.stdout.write(`\n${bad.length} missing: run \`${fixCommand}\` as root, or the fixes above\n`);
        process.exitCode = 1;
      } else if (!docker.answering) {
        process.stdout.write('\neverything is installed; no Docker Engine runs, so `w2meet up` uses local processes\n');
      } else {
        process.stdout.write('\neverything both runtimes need is installed, and a Docker Engine answers\n');
      }
    });
}

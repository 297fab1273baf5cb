import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type Docker from 'dockerode';
import { AbortedError, PrerequisiteError } from '../../errors.js';
import { runChildCommand } from '../child-command.js';
import { VERSION } from '../../version.js';
import { removeUnusedPlugins } from '../rabbitmq-apps.js';
import { debianMirror, hostCodename } from './apt-mirror.js';
import { followProgress, imageExists } from './engine.js';
import { LABEL_IMAGE_HASH, LABEL_IMAGE_ROLE, LABEL_VERSION } from './labels.js';

/**
 * The image w2meet builds where no registry answers: a Debian tree made with debootstrap from the
 * host's own mirror, holding Postgres, Redis, RabbitMQ, nginx and the host's Node.js binary. Every
 * infrastructure role and the services' base run from it; it is rebuilt only when its recipe
 * (packages, suite, mirror, Node version) changes.
 */
export const LOCAL_PACKAGES = ['ca-certificates', 'curl', 'postgresql', 'redis-server', 'rabbitmq-server', 'nginx-light'];
export const LOCAL_REPO = 'w2meet/local-base';
/** Bump when the recipe below changes in a way the hash inputs do not show. */
const RECIPE = 2;

export interface LocalImageRecipe {
  suite: string;
  mirror: string;
  packages: string[];
  node: string;
}

export function localRecipe(): LocalImageRecipe {
  const suite = hostCodename();
  if (!suite) throw new PrerequisiteError('cannot tell the host\'s Debian release from /etc/os-release; local images need a Debian host');
  const mirror = debianMirror(suite);
  if (!mirror) throw new PrerequisiteError(`no apt source for ${suite} in /etc/apt; local images are built from the host's Debian mirror`);
  return { suite, mirror, packages: LOCAL_PACKAGES, node: process.version };
}

export function recipeHash(recipe: LocalImageRecipe): string {
  return createHash('sha256').update(JSON.stringify({ ...recipe, RECIPE })).digest('hex').slice(0, 16);
}

export function localImageRef(recipe: LocalImageRecipe): string {
  return `${LOCAL_REPO}:${recipeHash(recipe)}`;
}

/** debootstrap leaves /proc (and sometimes more) mounted inside the tree when it fails. */
function unmountUnder(dir: string): void {
  const mounts = readFileSync('/proc/mounts', 'utf8').split('\n').map((l) => l.split(' ')[1]).filter((m): m is string => !!m && m.startsWith(dir));
  // Waited for: the tree is removed right after, and a mount still there would stop that.
  for (const m of mounts.sort().reverse()) spawnSync('umount', ['-l', m]);
}

export interface BuildProgress {
  (line: string): void;
}

const PER_PACKAGE = /^I: (Retrieving|Validating|Extracting|Unpacking|Installing|Configuring) [a-z0-9]/;

/**
 * debootstrap says one line per package and phase, several hundred in all, with a minute or more
 * between its phase lines: this turns them into a count every 50 packages with the time taken, so
 * the first build shows it is moving. Returns whether the line was a package line.
 */
export function packageCounter(onProgress: BuildProgress, every = 50, now: () => number = Date.now): (line: string) => boolean {
  const started = now();
  const counts = new Map<string, number>();
  return (line) => {
    const phase = PER_PACKAGE.exec(line)?.[1];
    if (!phase) return false;
    const count = (counts.get(phase) ?? 0) + 1;
    counts.set(phase, count);
    if (count % every === 0) onProgress(`debootstrap: ${phase.toLowerCase()} package ${count} (${Math.round((now() - started) / 1000)} s)`);
    return true;
  };
}

/** Builds the local base image unless an image of the same recipe is there already; returns its ref. */
export async function ensureLocalBaseImage(
  docker: Docker,
  onProgress: BuildProgress = () => {},
  options: { signal?: AbortSignal; force?: boolean } = {},
): Promise<{ ref: string; built: boolean }> {
  const recipe = localRecipe();
  const ref = localImageRef(recipe);
  if (!options.force && (await imageExists(docker, ref))) return { ref, built: false };
  if (process.getuid?.() !== 0) throw new PrerequisiteError('building local images runs debootstrap, which needs root', 'run as root, or use --images official where a registry answers');
  const dir = mkdtempSync('/var/tmp/w2meet-rootfs-');
  try {
    onProgress(`debootstrap ${recipe.suite} from ${recipe.mirror} (${recipe.packages.join(', ')})`);
    const packages = packageCounter(onProgress);
    await runChildCommand('debootstrap', ['--variant=minbase', `--include=${recipe.packages.join(',')}`, recipe.suite, dir, recipe.mirror], {
      code: 'IMAGE_BUILD',
      signal: options.signal,
      onLine: (l) => {
        if (!packages(l) && /^I: /.test(l)) onProgress(l);
      },
    });
    if (options.signal?.aborted) throw new AbortedError();
    unmountUnder(dir);
    // The services run on the host's own Node.js: it needs only glibc and libstdc++, both in the tree.
    mkdirSync(join(dir, 'usr/local/bin'), { recursive: true });
    copyFileSync(process.execPath, join(dir, 'usr/local/bin/node'));
    // The lab enables no RabbitMQ plugin; without them the broker boots in two thirds of the time.
    const rabbitHome = join(dir, 'usr/lib/rabbitmq/lib');
    for (const home of existsSync(rabbitHome) ? readdirSync(rabbitHome) : []) {
      const removed = removeUnusedPlugins(join(rabbitHome, home, 'plugins'));
      onProgress(`removed ${removed.length} RabbitMQ plugins the lab does not use`);
    }
    rmSync(join(dir, 'var/lib/apt/lists'), { recursive: true, force: true });
    rmSync(join(dir, 'var/cache/apt/archives'), { recursive: true, force: true });
    onProgress(`importing ${ref}`);
    const tar = spawn('tar', ['-C', dir, '--exclude=./proc', '--exclude=./sys', '--exclude=./dev', '-c', '.'], { stdio: ['ignore', 'pipe', 'inherit'] });
    options.signal?.addEventListener('abort', () => tar.kill('SIGKILL'), { once: true });
    const stream = await docker.importImage(tar.stdout, {
      repo: LOCAL_REPO,
      tag: ref.split(':')[1],
      changes: [
        `LABEL ${LABEL_IMAGE_HASH}=${recipeHash(recipe)} ${LABEL_IMAGE_ROLE}=local-base ${LABEL_VERSION}=${VERSION}`,
        'ENV PATH=/usr/local/bin:/usr/local/sbin:/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8',
        'CMD ["/bin/bash"]',
      ],
    } as unknown as Record<string, unknown>);
    await followProgress(docker, stream);
    if (options.signal?.aborted) {
      // The tree may have been cut off mid-stream: an image of it must not pass for the recipe's.
      await docker.getImage(ref).remove({ force: true }).catch(() => {});
      throw new AbortedError();
    }
    return { ref, built: true };
  } finally {
    unmountUnder(dir);
    rmSync(dir, { recursive: true, force: true });
  }
}

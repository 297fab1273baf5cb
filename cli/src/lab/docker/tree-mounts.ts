import { readFileSync } from 'node:fs';
import { ImageBuildError } from '../../errors.js';
import { runChildCommand } from '../child-command.js';

/**
 * The mount points at or under `dir` in the text of /proc/mounts, deepest first. A mount listed
 * twice (one stacked on another) is listed twice: each needs its own umount.
 */
export function mountsUnder(dir: string, mounts: string): string[] {
  const root = dir.replace(/\/+$/, '');
  return (
    mounts
      .split('\n')
      .map((l) => l.split(' ')[1])
      .filter((m): m is string => !!m)
      // The kernel writes a space, a tab, a newline and a backslash in a path as octal escapes.
      .map((m) => m.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8))))
      .filter((m) => m === root || m.startsWith(`${root}/`))
      .sort()
      .reverse()
  );
}

export interface UnmountDeps {
  run: typeof runChildCommand;
  readMounts: () => string;
}

const hostMounts: UnmountDeps = { run: runChildCommand, readMounts: () => readFileSync('/proc/mounts', 'utf8') };

/**
 * debootstrap leaves /proc (and sometimes more: /sys, /dev bound from the host) mounted inside the
 * tree when it fails. Each is unmounted, deepest first, and waited for; then /proc/mounts is read
 * again, and anything still mounted there is an error, since removing the tree through it would
 * reach into the host's own /proc, /sys or /dev. Not cancellable: it is the cleanup after an
 * interrupt too.
 */
export async function unmountUnder(dir: string, deps: UnmountDeps = hostMounts): Promise<void> {
  const failures: string[] = [];
  for (const m of mountsUnder(dir, deps.readMounts())) {
    try {
      // -l: a process still inside (a dpkg helper being killed) does not keep it mounted.
      await deps.run('umount', ['-l', m], { code: 'IMAGE_BUILD' });
    } catch (err) {
      // Not fatal by itself: the second umount of a mount listed twice, or of one that went with
      // its parent, fails with nothing left mounted. What is still mounted is judged below.
      failures.push(err instanceof Error ? err.message : String(err));
    }
  }
  const left = mountsUnder(dir, deps.readMounts());
  if (left.length) {
    throw new ImageBuildError(
      `still mounted inside the image tree: ${left.join(', ')}${failures.length ? `\n${failures.join('\n')}` : ''}`,
      `unmount them (umount -l), then remove ${dir}; it was left in place so nothing outside it is removed`,
    );
  }
}

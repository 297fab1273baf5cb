import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * RabbitMQ ships its broker and some sixty plugins in one folder that its script puts on the Erlang
 * code path. At boot it scans every application there (plugin discovery, config schemas, feature
 * flags) and every module load searches all of them: on two cores that is about 2.5 s of a 7 s
 * boot. The lab enables no plugin, so it runs the broker from a folder holding only the
 * applications the broker needs, read from their `.app` files.
 */

/** An Erlang application's folder in `plugins/` (`ra-2.2.0`), by application name (`ra`). */
function appFolders(pluginsDir: string): Map<string, { folder: string; needs: string[] }> {
  const apps = new Map<string, { folder: string; needs: string[] }>();
  for (const folder of readdirSync(pluginsDir)) {
    const ebin = join(pluginsDir, folder, 'ebin');
    const appFile = existsSync(ebin) ? readdirSync(ebin).find((f) => f.endsWith('.app')) : undefined;
    if (!appFile) continue;
    const text = readFileSync(join(ebin, appFile), 'utf8');
    const needs = ['applications', 'included_applications'].flatMap((key) => {
      const list = new RegExp(`\\{\\s*${key}\\s*,\\s*\\[([^\\]]*)\\]`).exec(text)?.[1] ?? '';
      return list
        .split(',')
        .map((a) => a.trim())
        .filter(Boolean);
    });
    apps.set(appFile.slice(0, -'.app'.length), { folder, needs });
  }
  return apps;
}

/**
 * Erlang's schedulers spin while idle, waiting for work: on a small machine that is CPU taken from
 * the rest of the lab while it boots, and from an idle lab. RabbitMQ's guide advises turning it
 * off where the broker shares its cores.
 */
export const RABBITMQ_QUIET_SCHEDULERS = '+sbwt none +sbwtdcpu none +sbwtdio none';

/** The folders of `rabbit` and everything it needs, transitively; null when there is no `rabbit`. */
export function brokerAppFolders(pluginsDir: string): string[] | null {
  if (!existsSync(pluginsDir)) return null;
  const apps = appFolders(pluginsDir);
  if (!apps.has('rabbit')) return null;
  const seen = new Set<string>();
  const visit = (name: string) => {
    const app = apps.get(name);
    // Applications that are not in the folder (kernel, stdlib, ssl) come with Erlang itself.
    if (!app || seen.has(name)) return;
    seen.add(name);
    app.needs.forEach(visit);
  };
  visit('rabbit');
  return [...seen].map((name) => apps.get(name)!.folder).sort();
}

/** The RabbitMQ home (the folder holding `sbin/` and `plugins/`) behind a `rabbitmq-server` script. */
export function rabbitHomeOf(serverScript: string): string {
  return dirname(dirname(realpathSync(serverScript)));
}

/**
 * Makes `dir` a RabbitMQ home with only the broker's applications: the scripts are copied (they
 * find their home from their own real path), the applications linked. Returns the server script to
 * run, or the original one when the installed layout is not what this expects (a wrapper script on
 * the PATH, another packaging): the broker then boots as installed, only slower.
 */
export function trimmedRabbitHome(serverScript: string, dir: string): string {
  const home = rabbitHomeOf(serverScript);
  const folders = brokerAppFolders(join(home, 'plugins'));
  if (!folders || !existsSync(join(home, 'sbin', 'rabbitmq-server'))) return serverScript;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'sbin'), { recursive: true });
  mkdirSync(join(dir, 'plugins'));
  for (const script of readdirSync(join(home, 'sbin'))) copyFileSync(join(home, 'sbin', script), join(dir, 'sbin', script));
  for (const folder of folders) symlinkSync(join(home, 'plugins', folder), join(dir, 'plugins', folder));
  if (existsSync(join(home, 'escript'))) symlinkSync(join(home, 'escript'), join(dir, 'escript'));
  return join(dir, 'sbin', 'rabbitmq-server');
}

/** Removes every application the broker does not need from an installed `plugins/` folder. */
export function removeUnusedPlugins(pluginsDir: string): string[] {
  const keep = new Set(brokerAppFolders(pluginsDir) ?? []);
  if (keep.size === 0) return [];
  const removed = readdirSync(pluginsDir).filter((f) => !keep.has(f) && f !== 'README');
  for (const folder of removed) rmSync(join(pluginsDir, folder), { recursive: true, force: true });
  return removed;
}

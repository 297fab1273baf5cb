import { existsSync, lstatSync, mkdirSync, mkdtempSync, readlinkSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { brokerAppFolders, rabbitHomeOf, removeUnusedPlugins, trimmedRabbitHome } from './rabbitmq-apps.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A RabbitMQ home laid out as Debian installs it, with `.app` files naming what each app needs. */
function fakeHome(): string {
  const home = mkdtempSync(join(tmpdir(), 'w2meet-rabbit-home-'));
  dirs.push(home);
  const app = (folder: string, name: string, needs: string) => {
    mkdirSync(join(home, 'plugins', folder, 'ebin'), { recursive: true });
    writeFileSync(
      join(home, 'plugins', folder, 'ebin', `${name}.app`),
      `{application,${name},[{description,"x"},{vsn,"1"},{applications,[${needs}]},{included_applications, []},{env,[]}]}.\n`,
    );
  };
  app('rabbit-3.10.8', 'rabbit', 'kernel,stdlib,rabbit_common, ra');
  app('rabbit_common-3.10.8', 'rabbit_common', 'kernel,stdlib,\n    recon');
  app('ra-2.2.0', 'ra', 'kernel,aten');
  app('aten-0.5.8', 'aten', 'kernel');
  app('recon-2.5.2', 'recon', 'kernel');
  app('rabbitmq_management-3.10.8', 'rabbitmq_management', 'rabbit,cowboy');
  app('cowboy-2.8.0', 'cowboy', 'kernel');
  writeFileSync(join(home, 'plugins', 'README'), 'plugins go here\n');
  mkdirSync(join(home, 'sbin'));
  writeFileSync(join(home, 'sbin', 'rabbitmq-server'), '#!/bin/sh\n', { mode: 0o755 });
  writeFileSync(join(home, 'sbin', 'rabbitmq-env'), '#!/bin/sh\n', { mode: 0o755 });
  return home;
}

describe("the applications RabbitMQ's broker needs", () => {
  it('are rabbit and what it needs, transitively, and no plugin', () => {
    expect(brokerAppFolders(join(fakeHome(), 'plugins'))).toEqual([
      'aten-0.5.8',
      'ra-2.2.0',
      'rabbit-3.10.8',
      'rabbit_common-3.10.8',
      'recon-2.5.2',
    ]);
  });

  it('are unknown (null) in a folder without rabbit', () => {
    const home = fakeHome();
    rmSync(join(home, 'plugins', 'rabbit-3.10.8'), { recursive: true });
    expect(brokerAppFolders(join(home, 'plugins'))).toBeNull();
    expect(removeUnusedPlugins(join(home, 'plugins'))).toEqual([]);
    expect(existsSync(join(home, 'plugins', 'cowboy-2.8.0'))).toBe(true);
  });

  it('make a home of links and copied scripts that the server script finds its home from', () => {
    const home = fakeHome();
    const trimmed = join(home, '..', `${home.split('/').pop()}-trimmed`);
    dirs.push(trimmed);
    const script = trimmedRabbitHome(join(home, 'sbin', 'rabbitmq-server'), trimmed);
    expect(script).toBe(join(trimmed, 'sbin', 'rabbitmq-server'));
    // A copy, not a link: the script resolves its own real path to find its home.
    expect(lstatSync(script).isSymbolicLink()).toBe(false);
    expect(statSync(script).mode & 0o111).not.toBe(0);
    expect(readlinkSync(join(trimmed, 'plugins', 'ra-2.2.0'))).toBe(join(home, 'plugins', 'ra-2.2.0'));
    expect(existsSync(join(trimmed, 'plugins', 'rabbitmq_management-3.10.8'))).toBe(false);
  });

  it('fall back to the script itself when it is not inside a RabbitMQ home (a wrapper on the PATH)', () => {
    const bin = mkdtempSync(join(tmpdir(), 'w2meet-wrapper-'));
    dirs.push(bin);
    mkdirSync(join(bin, 'sbin'));
    writeFileSync(join(bin, 'sbin', 'rabbitmq-server'), '#!/bin/sh\n', { mode: 0o755 });
    const trimmed = join(bin, 'trimmed');
    expect(trimmedRabbitHome(join(bin, 'sbin', 'rabbitmq-server'), trimmed)).toBe(join(bin, 'sbin', 'rabbitmq-server'));
    expect(existsSync(trimmed)).toBe(false);
  });

  it('fall back to the installed script when the layout is not the expected one', () => {
    const home = fakeHome();
    rmSync(join(home, 'plugins', 'rabbit-3.10.8'), { recursive: true });
    const trimmed = mkdtempSync(join(tmpdir(), 'w2meet-trimmed-'));
    dirs.push(trimmed);
    expect(trimmedRabbitHome(join(home, 'sbin', 'rabbitmq-server'), trimmed)).toBe(join(home, 'sbin', 'rabbitmq-server'));
  });

  it("are all that is left after removing the unused ones from an image's tree", () => {
    const plugins = join(fakeHome(), 'plugins');
    expect(removeUnusedPlugins(plugins).sort()).toEqual(['cowboy-2.8.0', 'rabbitmq_management-3.10.8']);
    expect(existsSync(join(plugins, 'rabbit-3.10.8'))).toBe(true);
    expect(existsSync(join(plugins, 'README'))).toBe(true);
  });

  const installed = '/usr/lib/rabbitmq/bin/rabbitmq-server';
  it.skipIf(!existsSync(installed))(
    'of the installed RabbitMQ include its own dependencies and leave out its plugins (needs rabbitmq-server)',
    () => {
      const folders = brokerAppFolders(join(rabbitHomeOf(installed), 'plugins'))!;
      expect(folders.some((f) => f.startsWith('rabbit-'))).toBe(true);
      expect(folders.some((f) => f.startsWith('rabbitmq_prelaunch-'))).toBe(true);
      expect(folders.some((f) => f.startsWith('ra-'))).toBe(true);
      expect(folders.some((f) => f.startsWith('rabbitmq_management'))).toBe(false);
    },
  );
});

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface AptSource {
  uri: string;
  suite: string;
}

/** One-line form: `deb [options] URI SUITE COMPONENTS...`. */
function fromOneLine(text: string): AptSource[] {
  const out: AptSource[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.replace(/#.*/, '').trim();
    if (!line.startsWith('deb ')) continue;
    const parts = line
      .slice(4)
      .replace(/\[[^\]]*\]/, '')
      .trim()
      .split(/\s+/);
    if (parts.length >= 2) out.push({ uri: parts[0]!, suite: parts[1]! });
  }
  return out;
}

/** deb822 form: paragraphs with `Types: deb`, `URIs:` and `Suites:`. */
function fromDeb822(text: string): AptSource[] {
  const out: AptSource[] = [];
  for (const paragraph of text.split(/\n\s*\n/)) {
    const field = (name: string) =>
      paragraph
        .match(new RegExp(`^${name}:\\s*(.+)$`, 'mi'))?.[1]
        ?.trim()
        .split(/\s+/) ?? [];
    if (!field('Types').includes('deb')) continue;
    if (/^Enabled:\s*no/im.test(paragraph)) continue;
    for (const uri of field('URIs')) for (const suite of field('Suites')) out.push({ uri, suite });
  }
  return out;
}

/** Every `deb` source the host's apt is configured with, in the order apt reads them. */
export function aptSources(root = '/etc/apt'): AptSource[] {
  const out: AptSource[] = [];
  const list = join(root, 'sources.list');
  if (existsSync(list)) out.push(...fromOneLine(readFileSync(list, 'utf8')));
  const dir = join(root, 'sources.list.d');
  if (existsSync(dir)) {
    for (const file of readdirSync(dir).sort()) {
      const text = readFileSync(join(dir, file), 'utf8');
      if (file.endsWith('.list')) out.push(...fromOneLine(text));
      if (file.endsWith('.sources')) out.push(...fromDeb822(text));
    }
  }
  return out;
}

/**
 * The Debian mirror the host already uses for `suite` (e.g. bookworm): the first source of that
 * exact suite. Nothing is hard-coded: a machine's own apt configuration is the authority.
 */
export function debianMirror(suite: string, sources: AptSource[] = aptSources()): string | null {
  return sources.find((s) => s.suite === suite)?.uri ?? null;
}

/** The host's Debian release codename, from /etc/os-release. */
export function hostCodename(osRelease = '/etc/os-release'): string | null {
  try {
    return readFileSync(osRelease, 'utf8').match(/^VERSION_CODENAME=(\w+)/m)?.[1] ?? null;
  } catch {
    return null;
  }
}

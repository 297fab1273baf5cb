import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { packageRoot } from '../shared/paths.js';
import { UsageError } from '../errors.js';
import { ScenarioFileError } from '../errors.js';
import { parseValidatedYaml, readYamlFile, type Locate } from '../shared/validated-yaml.js';
import type { Observation, ProfileFile, TargetProfile } from './profile-types.js';
import { compileRoute } from './routes.js';
import { catastrophicPattern } from './regex-safety.js';

export const BUILT_IN_PROFILES = ['w2meet', 'course'] as const;
const DEFAULT_CASE_ID_LINE = '\\[(?<case_id>[A-Za-z0-9._:-]+)\\]';

function builtInPath(name: string): string {
  return join(packageRoot(), 'profiles', `${name}.yaml`);
}

async function readProfileFile(path: string, shownAs: string): Promise<{ data: ProfileFile; locate: Locate }> {
  return parseValidatedYaml<ProfileFile>(await readYamlFile(path, shownAs), shownAs, 'profile.schema.json');
}

/** Choices of one of several shapes (a header or a log pattern): a profile that extends another replaces them whole. */
const WHOLE = new Set(['observe.cache', 'observe.server_time', 'observe.instance', 'logs.containers']);

/** Objects merged key by key, the later one winning; anything else, and a choice, replaced whole. */
function merge<T>(base: T, over: T, path = ''): T {
  if (WHOLE.has(path)) return over ?? base;
  if (typeof base !== 'object' || base === null || Array.isArray(base)) return over ?? base;
  if (typeof over !== 'object' || over === null || Array.isArray(over)) return over ?? base;
  const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [k, v] of Object.entries(over as Record<string, unknown>)) {
    const at = path ? `${path}.${k}` : k;
    out[k] = k in out ? merge(out[k], v, at) : v;
  }
  return out as T;
}

/**
 * A profile by built-in name or by file. A file may extend a built-in one and change only what
 * differs; every pattern is compiled here, so a bad one is reported with its line before anything
 * runs, and log files are resolved against the profile's own folder.
 */
export async function loadProfile(nameOrFile: string | undefined): Promise<TargetProfile> {
  const wanted = nameOrFile ?? 'w2meet';
  const isBuiltIn = (BUILT_IN_PROFILES as readonly string[]).includes(wanted);
  if (!isBuiltIn && !existsSync(wanted)) {
    throw new UsageError(
      `--profile ${wanted}: no built-in profile of that name and no such file`,
      `choose ${BUILT_IN_PROFILES.join(' or ')}, or give the path of a profile file (see profiles/README.md)`,
    );
  }
  const path = isBuiltIn ? builtInPath(wanted) : resolve(wanted);
  const shown = isBuiltIn ? `profiles/${wanted}.yaml` : wanted;
  const { data, locate } = await readProfileFile(path, shown);
  let merged = data;
  if (data.extends) {
    if (!(BUILT_IN_PROFILES as readonly string[]).includes(data.extends)) {
      const pos = locate('/extends');
      throw new ScenarioFileError(
        shown,
        pos.line,
        pos.column,
        `extends: "${data.extends}" is not a built-in profile (${BUILT_IN_PROFILES.join(', ')})`,
      );
    }
    merged = merge((await readProfileFile(builtInPath(data.extends), `profiles/${data.extends}.yaml`)).data, data);
  }
  return compileProfile(merged, isBuiltIn ? 'built-in' : shown, dirname(path), locate, shown);
}

function compileProfile(p: ProfileFile, source: string, folder: string, locate: Locate, shown: string): TargetProfile {
  const regex = (text: string, pointer: string, flags = ''): RegExp => {
    let compiled: RegExp;
    try {
      compiled = new RegExp(text, flags);
    } catch (err) {
      const pos = locate(pointer);
      throw new ScenarioFileError(shown, pos.line, pos.column, `not a regular expression: ${(err as Error).message}`);
    }
    // A profile may come from a student's repository: its patterns run on every log line.
    const catastrophic = catastrophicPattern(text);
    if (catastrophic) {
      const pos = locate(pointer);
      throw new ScenarioFileError(
        shown,
        pos.line,
        pos.column,
        `a pattern that can take hours on one line: ${catastrophic}; write it without a repeated group that repeats inside`,
      );
    }
    return compiled;
  };
  const observation = (o: { header: string } | 'none' | object | undefined): Observation =>
    o === undefined || o === 'none' ? { via: 'none' } : 'header' in o ? { via: 'header', header: o.header } : { via: 'log' };
  const cache = p.observe?.cache;
  const server = p.observe?.server_time;
  const caseId = regex(p.logs?.case_id ?? DEFAULT_CASE_ID_LINE, '/logs/case_id');
  if (!caseId.source.includes('?<case_id>')) {
    const pos = locate('/logs/case_id');
    throw new ScenarioFileError(shown, pos.line, pos.column, 'logs.case_id needs a named group (?<case_id>...)');
  }
  if (server && typeof server === 'object' && 'log' in server && !server.log.pattern.includes('?<ms>')) {
    const pos = locate('/observe/server_time/log/pattern');
    throw new ScenarioFileError(shown, pos.line, pos.column, 'server_time.log.pattern needs a named group (?<ms>...)');
  }
  return {
    name: p.name,
    description: p.description ?? p.name,
    source,
    ...(p.url ? { url: p.url } : {}),
    prefix: (p.prefix ?? '').replace(/\/$/, ''),
    routes: Object.entries(p.routes ?? {}).map(([route, to]) => compileRoute(route, to)),
    caseIdHeader: p.headers?.case_id ?? 'Case-ID',
    cache: {
      ...observation(cache),
      ...(cache && typeof cache === 'object' && 'log' in cache
        ? {
            hit: regex(cache.log.hit, '/observe/cache/log/hit'),
            miss: regex(cache.log.miss, '/observe/cache/log/miss'),
            ...(cache.log.bypass ? { bypass: regex(cache.log.bypass, '/observe/cache/log/bypass') } : {}),
          }
        : {}),
    },
    serverTime: {
      ...observation(server),
      ...(server && typeof server === 'object' && 'log' in server
        ? { pattern: regex(server.log.pattern, '/observe/server_time/log/pattern') }
        : {}),
    },
    instance: observation(p.observe?.instance),
    logs: {
      from: p.logs?.from ?? 'none',
      caseId,
      files: Object.fromEntries(Object.entries(p.logs?.files ?? {}).map(([c, f]) => [c, resolve(folder, f)])),
      ...(p.logs?.containers ? { containers: p.logs.containers } : {}),
    },
    faults: p.faults ?? 'none',
  };
}

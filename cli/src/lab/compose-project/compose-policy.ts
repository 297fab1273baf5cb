import { existsSync, realpathSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';

/**
 * What a compose file from a student may not do without the teacher's say-so: reach the grading
 * machine itself. Checked on the project as compose resolved it (its `config`: paths absolute,
 * variables and extends applied) and, for what `config` inlines and so hides (env_file, extends),
 * on the file as written. Each finding names the service (or top-level entry) and the key.
 */
type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined || v === null ? [] : [v]);

/** The keys that share a host namespace when set to "host". */
const HOST_NAMESPACES = ['pid', 'ipc', 'uts', 'userns_mode', 'cgroup', 'network_mode'];
/** Keys whose every value reaches the host: devices, capabilities, security profiles. */
const ANY_VALUE = ['cap_add', 'devices', 'device_cgroup_rules', 'security_opt'];

/** Whether a path is inside the folder, links resolved (a link in the folder may point out of it). */
export function insideFolder(path: string, folder: string): boolean {
  const real = (p: string) => (existsSync(p) ? realpathSync(p) : resolve(p));
  const rel = relative(real(folder), real(resolve(folder, path)));
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/** A volume entry's host side when it is a bind mount (short "SRC:DST[:MODE]" or long form), else null. */
function bindSource(volume: unknown, named: Set<string>): string | null {
  if (typeof volume === 'string') {
    const source = volume.split(':')[0] ?? '';
    const isPath = source.startsWith('/') || source.startsWith('.') || source.startsWith('~');
    return isPath && !named.has(source) ? source : null;
  }
  const v = obj(volume);
  return v.type === 'bind' && typeof v.source === 'string' ? v.source : null;
}

/** Every way the resolved project reaches the host, as "where: key (detail)". */
export function hostAccessInConfig(config: unknown, folder: string): string[] {
  const project = obj(config);
  const named = new Set(Object.keys(obj(project.volumes)));
  const out: string[] = [];
  const outside = (p: unknown) => typeof p === 'string' && !insideFolder(p, folder);
  for (const [name, raw] of Object.entries(obj(project.services))) {
    const s = obj(raw);
    const at = `service ${name}`;
    if (s.privileged === true) out.push(`${at}: privileged`);
    for (const key of HOST_NAMESPACES) if (s[key] === 'host') out.push(`${at}: ${key}: host`);
    for (const key of ANY_VALUE) for (const v of list(s[key])) out.push(`${at}: ${key} ${JSON.stringify(v)}`);
    for (const volume of list(s.volumes)) {
      const source = bindSource(volume, named);
      if (source !== null && outside(source)) out.push(`${at}: volumes (a bind mount of ${source}, outside the file's folder)`);
    }
    const build = typeof s.build === 'string' ? { context: s.build } : obj(s.build);
    if (outside(build.context)) out.push(`${at}: build context ${build.context}, outside the file's folder`);
    if (typeof build.dockerfile === 'string' && isAbsolute(build.dockerfile) && outside(build.dockerfile))
      out.push(`${at}: build dockerfile ${build.dockerfile}, outside the file's folder`);
  }
  for (const kind of ['secrets', 'configs'])
    for (const [name, raw] of Object.entries(obj(project[kind])))
      if (outside(obj(raw).file)) out.push(`${kind} ${name}: file ${obj(raw).file}, outside the file's folder`);
  for (const [name, raw] of Object.entries(obj(project.volumes))) {
    const device = obj(obj(raw).driver_opts).device;
    if (outside(device)) out.push(`volume ${name}: driver_opts device ${device}, outside the file's folder`);
  }
  return out;
}

/** What `config` applies and so no longer shows: env_file and extends files, from the file as written. */
export function hostAccessInFile(file: unknown, folder: string): string[] {
  const out: string[] = [];
  for (const [name, raw] of Object.entries(obj(obj(file).services))) {
    const s = obj(raw);
    for (const entry of list(s.env_file)) {
      const path = typeof entry === 'string' ? entry : obj(entry).path;
      if (typeof path === 'string' && !insideFolder(path, folder)) out.push(`service ${name}: env_file ${path}, outside the file's folder`);
    }
    const extendsFile = obj(s.extends).file;
    if (typeof extendsFile === 'string' && !insideFolder(extendsFile, folder))
      out.push(`service ${name}: extends ${extendsFile}, outside the file's folder`);
  }
  for (const entry of list(obj(file).include)) {
    const path = typeof entry === 'string' ? entry : obj(entry).path;
    for (const p of list(path)) if (typeof p === 'string' && !insideFolder(p, folder)) out.push(`include ${p}, outside the file's folder`);
  }
  return out;
}

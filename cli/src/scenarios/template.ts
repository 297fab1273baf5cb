import { PlaceholderError } from '../errors.js';

/** `{{users.0.email}}`-style placeholders in paths, headers and bodies; `{{users.$i.email}}` per send. */
const PLACEHOLDER = /\{\{\s*([A-Za-z0-9_.$-]+)\s*\}\}/g;

export function templateNames(text: string): string[] {
  return [...text.matchAll(PLACEHOLDER)].map((m) => m[1]!);
}

export type Vars = Record<string, unknown>;

/** `$i` in a name stands for the send's index: `{{pairs.$i.id}}` takes the i-th item of a list. */
function lookup(vars: Vars, name: string): unknown {
  let value: unknown = vars;
  for (const raw of name.split('.')) {
    const part = raw === '$i' ? String(vars.i) : raw;
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

/** Fills every placeholder of a string; an unknown name is an error, never an empty string. */
export function fillString(text: string, vars: Vars): string {
  return text.replace(PLACEHOLDER, (_, name: string) => {
    const value = lookup(vars, name);
    if (value === undefined) throw new PlaceholderError(name);
    return String(value);
  });
}

/** Fills placeholders everywhere in a JSON value (strings only; keys are left as written). */
export function fill<T>(value: T, vars: Vars): T {
  if (typeof value === 'string') return fillString(value, vars) as T;
  if (Array.isArray(value)) return value.map((v) => fill(v, vars)) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fill(v, vars)])) as T;
  }
  return value;
}

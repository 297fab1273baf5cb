import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { isMap, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import { packageRoot } from './paths.js';
import { ScenarioFileError } from '../errors.js';

const validators = new Map<string, ValidateFunction>();

/** A committed JSON Schema from `scenarios/`: editors and the loaders share the one definition. */
export async function loadSchema(name: string): Promise<object> {
  return JSON.parse(await readFile(join(packageRoot(), 'scenarios', name), 'utf8')) as object;
}

async function validatorFor(schema: string): Promise<ValidateFunction> {
  let v = validators.get(schema);
  if (!v) validators.set(schema, (v = new Ajv({ allErrors: true, strict: false, verbose: true }).compile(await loadSchema(schema))));
  return v;
}

/** Where a JSON pointer (`/steps/2/request/method`) sits in the YAML text. */
export type Locate = (pointer: string, key?: boolean) => { line: number; column: number };

function locator(doc: Document, lines: LineCounter): Locate {
  return (pointer, key = false) => {
    const path = pointer
      .split('/')
      .slice(1)
      .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
    // Walk down as far as the document goes: a missing property is reported at its parent.
    let node: Node | null = doc.contents as Node | null;
    let keyNode: Node | null = null;
    for (const part of path) {
      if (isMap(node)) {
        const pair = node.items.find((p) => String((p.key as { value?: unknown })?.value ?? p.key) === part);
        if (!pair) break;
        keyNode = pair.key as Node;
        node = pair.value as Node | null;
      } else if (isSeq(node)) {
        const item = node.items[Number(part)] as Node | undefined;
        if (!item) break;
        keyNode = null;
        node = item;
      } else break;
    }
    const at = (key && keyNode ? keyNode : (node ?? keyNode))?.range?.[0] ?? 0;
    const pos = lines.linePos(at);
    return { line: pos.line, column: pos.col };
  };
}

/** The fields of a `oneOf`/`anyOf` made of `required` branches (`{ required: [rate] }`), or null. */
function alternatives(e: ErrorObject): string[] | null {
  if (!Array.isArray(e.schema)) return null;
  const names = (e.schema as Array<{ required?: string[] }>).map((s) => s.required?.join(' with '));
  return names.every(Boolean) ? (names as string[]) : null;
}

/**
 * The errors of the branch the author chose, where a `oneOf`'s branches are told apart by a `kind`
 * constant (the claims' `kind: bound | relation | value | steps`): a mistake inside the chosen branch
 * makes every other branch fail too, and those failures say nothing useful. Null when no such
 * choice was made.
 */
function chosenBranchErrors(errors: ErrorObject[]): ErrorObject[] | null {
  for (const e of errors) {
    if (e.keyword !== 'oneOf' || !Array.isArray(e.schema)) continue;
    const kind = (e.data as { kind?: unknown } | null)?.kind;
    const branches = e.schema as Array<{ properties?: { kind?: { const?: unknown } } }>;
    const chosen = branches.findIndex((b) => b.properties?.kind?.const !== undefined && b.properties.kind.const === kind);
    if (chosen < 0) continue;
    const inBranch = errors.filter((x) => x.schemaPath.startsWith(`${e.schemaPath}/${chosen}/`));
    if (inBranch.length) return inBranch;
  }
  return null;
}

/**
 * The most useful of ajv's errors: the deepest one, except that a choice between fields (`oneOf`
 * of `required` branches) is reported as the choice rather than as one branch's missing field,
 * and that where a `kind` chose the branch, only that branch's errors count.
 */
function firstError(all: ErrorObject[]): ErrorObject {
  const errors = chosenBranchErrors(all) ?? all;
  // A `const` failure is a `oneOf` branch of another kind (`kind: bound` against the relation branch).
  const relevant = errors.some((e) => e.keyword !== 'const' && !['oneOf', 'anyOf', 'allOf', 'if', 'not'].includes(e.keyword))
    ? errors.filter((e) => e.keyword !== 'const')
    : errors;
  const specific = relevant.filter((e) => !['oneOf', 'anyOf', 'allOf', 'if', 'not'].includes(e.keyword) || alternatives(e));
  const pool = specific.length ? specific : errors;
  const deepest = pool.reduce((best, e) => (e.instancePath.length > best.instancePath.length ? e : best));
  const choice = errors.find((e) => e.instancePath === deepest.instancePath && alternatives(e));
  return deepest.keyword === 'required' && choice ? choice : deepest;
}

function describe(e: ErrorObject): string {
  const where = e.instancePath || 'the file';
  const options = alternatives(e);
  if (options && e.keyword === 'oneOf') return `${where}: needs exactly one of ${options.join(', ')}`;
  if (options) return `${where}: needs at least one of ${options.join(', ')}`;
  switch (e.keyword) {
    case 'additionalProperties':
      return `${where}: unknown field "${(e.params as { additionalProperty: string }).additionalProperty}"`;
    case 'required':
      return `${where}: missing "${(e.params as { missingProperty: string }).missingProperty}"`;
    case 'enum':
      return `${where}: expected one of ${(e.params as { allowedValues: unknown[] }).allowedValues.join(', ')}`;
    default:
      return `${where}: ${e.message}`;
  }
}

export interface ValidatedYaml<T> {
  data: T;
  locate: Locate;
}

/**
 * Parses YAML and validates it against a schema of `scenarios/`; any problem is thrown with the
 * file, line and column, and the returned locator places later (semantic) problems the same way.
 */
export async function parseValidatedYaml<T>(text: string, file: string, schema: string): Promise<ValidatedYaml<T>> {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  if (doc.errors.length) {
    const err = doc.errors[0]!;
    const pos = lines.linePos(err.pos[0]);
    throw new ScenarioFileError(file, pos.line, pos.col, `not valid YAML: ${err.message.split('\n')[0]}`);
  }
  const data = doc.toJS() as unknown;
  const locate = locator(doc, lines);
  const validate = await validatorFor(schema);
  if (!validate(data)) {
    const e = firstError(validate.errors ?? []);
    const missing = e.keyword === 'required' || e.keyword === 'additionalProperties';
    const pos = locate(
      e.instancePath + (e.keyword === 'additionalProperties' ? `/${(e.params as { additionalProperty: string }).additionalProperty}` : ''),
      missing,
    );
    throw new ScenarioFileError(file, pos.line, pos.column, describe(e));
  }
  return { data: data as T, locate };
}

/** Reads a file for parseValidatedYaml; an unreadable file is reported like any other problem. */
export async function readYamlFile(path: string, shownAs: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    throw new ScenarioFileError(shownAs, 1, 1, 'cannot read the file');
  }
}

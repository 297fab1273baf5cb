import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as errors from './errors.js';
import { W2meetError } from './errors.js';
import { GRADE_EXIT } from './errors/grade-exit.js';

interface Sample {
  make: () => W2meetError;
  /** The exit code scripts and CI jobs see. */
  exit: number;
}

/** One of each class errors.ts exports (from errors/). A class added there without a line here fails the first test. */
const SAMPLES = {
  UsageError: { make: () => new errors.UsageError('m'), exit: 2 },
  PrerequisiteError: { make: () => new errors.PrerequisiteError('m'), exit: 1 },
  LabStartError: { make: () => new errors.LabStartError('m'), exit: 1 },
  UnsafePathError: { make: () => new errors.UnsafePathError('/x/run', 'a symbolic link'), exit: 1 },
  AbortedError: { make: () => new errors.AbortedError(), exit: 130 },
  NoLabError: { make: () => new errors.NoLabError('demo'), exit: 1 },
  FaultError: { make: () => new errors.FaultError('m'), exit: 1 },
  LabStateError: { make: () => new errors.LabStateError('m'), exit: 1 },
  ScenarioFileError: { make: () => new errors.ScenarioFileError('a.yaml', 3, 5, 'm'), exit: 2 },
  TargetError: { make: () => new errors.TargetError('m'), exit: 2 },
  NoRunError: { make: () => new errors.NoRunError('m', 'h'), exit: 2 },
  ResultsFileError: { make: () => new errors.ResultsFileError('m', 'h'), exit: 2 },
  ScenariosFailedError: { make: () => new errors.ScenariosFailedError('reports/r/results.json'), exit: 1 },
  LabFailedError: { make: () => new errors.LabFailedError('m'), exit: 5 },
  DoctorFixError: { make: () => new errors.DoctorFixError(['docker.io']), exit: 1 },
  MissingCapabilityError: { make: () => new errors.MissingCapabilityError('m', 'faults'), exit: 1 },
  PlaceholderError: { make: () => new errors.PlaceholderError('users.5.email'), exit: 1 },
  NothingToUndoError: { make: () => new errors.NothingToUndoError('break'), exit: 1 },
  CommandError: { make: () => new errors.CommandError('m'), exit: 1 },
  NotBuiltError: { make: () => new errors.NotBuiltError('user-service'), exit: 1 },
  ImagePullError: { make: () => new errors.ImagePullError('m', 'h'), exit: 1 },
  ImageBuildError: { make: () => new errors.ImageBuildError('m'), exit: 1 },
  ImagePushError: { make: () => new errors.ImagePushError('m', 'h'), exit: 1 },
  EngineStartError: { make: () => new errors.EngineStartError('m', '/var/lib/w2meet/engine/dockerd.log'), exit: 1 },
  EngineLostError: { make: () => new errors.EngineLostError('tcp://10.0.0.2:2376', 'connect ECONNREFUSED 10.0.0.2:2376'), exit: 1 },
  LostCredentialsError: { make: () => new errors.LostCredentialsError('demo', ['w2meet-demo-pg']), exit: 1 },
  ComposeError: { make: () => new errors.ComposeError('m'), exit: 1 },
  DockerUnavailableError: { make: () => new errors.DockerUnavailableError('unix:///var/run/docker.sock'), exit: 1 },
  FaultJobError: { make: () => new errors.FaultJobError('m', 'h', true), exit: 1 },
} satisfies Record<Exclude<keyof typeof errors, 'W2meetError'>, Sample>;

const SRC = fileURLToPath(new URL('.', import.meta.url));
const ROOTS = [SRC, join(SRC, '..', 'bench')];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(e.name) && !/\.test\.tsx?$/.test(e.name) ? [path] : [];
  });
}

/** Every source file but this module's subject, read once. */
const SOURCES = ROOTS.flatMap(sourceFiles)
  .filter((f) => f !== join(SRC, 'errors.ts') && !f.startsWith(`${join(SRC, 'errors')}/`))
  .map((f) => ({ file: relative(join(SRC, '..', '..'), f), text: readFileSync(f, 'utf8') }));

/** Classes extending W2meetError (or one of its classes) outside errors/, with the code each passes to super(). */
function classesElsewhere(): Array<{ name: string; code: string | undefined; file: string }> {
  return SOURCES.flatMap(({ file, text }) =>
    [...text.matchAll(/class (\w+) extends (\w+)\b/g)]
      .filter((m) => m[2] === 'W2meetError' || exportedClasses().includes(m[2]!))
      .map((m) => {
        const body = text.slice(m.index + m[0].length).split(/\bclass\s/)[0]!;
        return { name: m[1]!, code: /super\(\s*'([A-Z0-9_]+)'/.exec(body)?.[1], file };
      }),
  );
}

const exportedClasses = () =>
  Object.entries(errors)
    .filter(([, v]) => typeof v === 'function' && v.prototype instanceof W2meetError)
    .map(([name]) => name);

describe('error classes', () => {
  it('every class errors.ts exports has a sample here', () => {
    expect(exportedClasses().sort()).toEqual(Object.keys(SAMPLES).sort());
  });

  it('each class makes errors of its class, with a code and its exit code', () => {
    for (const [name, sample] of Object.entries(SAMPLES)) {
      const err = sample.make();
      // biome-ignore lint/performance/noDynamicNamespaceImportAccess: the test walks every class the module exports
      expect(err, name).toBeInstanceOf(errors[name as keyof typeof SAMPLES]);
      expect(err, name).toBeInstanceOf(W2meetError);
      expect(err.code, name).toMatch(/^[A-Z][A-Z0-9_]*$/);
      expect(err.message, name).not.toBe('');
      expect(Number.isInteger(err.exitCode) && err.exitCode >= 1 && err.exitCode <= 255, `${name} exits ${err.exitCode}`).toBe(true);
      expect(err.exitCode, name).toBe(sample.exit);
    }
  });

  it('no two classes share a code, counting the ones defined outside errors.ts', () => {
    const owners = new Map<string, string[]>();
    const add = (code: string, name: string) => owners.set(code, [...(owners.get(code) ?? []), name]);
    // A refinement of another class (FaultJobError of FaultError) shares its parent's code on purpose.
    const refinements = Object.entries(SAMPLES).filter(([, s]) => Object.getPrototypeOf(s.make().constructor) !== W2meetError);
    expect(refinements.map(([name]) => name)).toEqual(['FaultJobError']);
    for (const [name, sample] of Object.entries(SAMPLES)) if (!refinements.some(([n]) => n === name)) add(sample.make().code, name);
    for (const c of classesElsewhere()) add(c.code ?? '?', `${c.name} (${c.file})`);
    const shared = [...owners].filter(([, names]) => names.length > 1);
    expect(shared).toEqual([]);
  });

  it('no class of them is defined outside errors/', () => {
    expect(classesElsewhere().map((c) => `${c.name} in ${c.file}`)).toEqual([]);
  });

  it("each error carries its own class's name, for stack traces and logs", () => {
    for (const [name, sample] of Object.entries(SAMPLES)) expect(sample.make().name).toBe(name);
  });

  it('errors/ imports nothing of the rest of w2meet, so every layer may throw its errors', () => {
    const dir = join(SRC, 'errors');
    const outward = readdirSync(dir).flatMap((f) =>
      [...readFileSync(join(dir, f), 'utf8').matchAll(/from '([^']+)'/g)]
        .filter((m) => !m[1]!.startsWith('./'))
        .map((m) => `${f}: ${m[1]}`),
    );
    expect(outward).toEqual([]);
  });

  it('every code still passed to `new W2meetError` by hand belongs to a class', () => {
    const codes = new Set(Object.values(SAMPLES).map((s) => s.make().code));
    const orphans = SOURCES.flatMap(({ file, text }) =>
      [...text.matchAll(/new W2meetError\(\s*'([A-Z0-9_]+)'/g)].filter((m) => !codes.has(m[1]!)).map((m) => `${m[1]} in ${file}`),
    );
    expect(orphans).toEqual([]);
  });

  it('bad input exits as `w2meet grade` says it does, and so does a lab grade could not start', () => {
    for (const name of ['UsageError', 'ScenarioFileError', 'TargetError', 'NoRunError', 'ResultsFileError'] as const) {
      expect(SAMPLES[name].make().exitCode, name).toBe(GRADE_EXIT.badInput);
    }
    expect(SAMPLES.LabFailedError.make().exitCode).toBe(GRADE_EXIT.labFailed);
  });

  it('classes that compose their text compose what the CLI printed before they existed', () => {
    const text = (e: W2meetError) => [e.message, e.hint];
    expect(text(new errors.NoLabError('"demo"', 'run `w2meet up` first, or pass --target URL to measure another deployment'))).toEqual([
      'no lab named "demo" is up',
      'run `w2meet up` first, or pass --target URL to measure another deployment',
    ]);
    expect(text(new errors.TargetError('--target "x" is not a URL'))).toEqual([
      '--target "x" is not a URL',
      "pass the gateway's base URL, e.g. http://127.0.0.1:8080",
    ]);
    expect(text(SAMPLES.ScenariosFailedError.make())).toEqual(['some scenarios failed', 'see reports/r/results.json']);
    expect(text(new errors.LabFailedError('no Docker Engine answers'))).toEqual([
      'the lab did not start: no Docker Engine answers',
      'run `w2meet doctor`, then `w2meet up` to see the failing component',
    ]);
    expect(text(new errors.DoctorFixError(['docker.io', 'postgresql']))).toEqual([
      'apt-get could not install docker.io postgresql',
      "read apt-get's message above; `apt-get update` first if its lists are old",
    ]);
    expect(text(SAMPLES.NotBuiltError.make())).toEqual(['the user-service bundle is missing', 'run `npm run build` first']);
    expect(SAMPLES.EngineStartError.make().hint).toBe('see its log, /var/lib/w2meet/engine/dockerd.log');
    expect(text(SAMPLES.LostCredentialsError.make())).toEqual([
      'lab demo has Docker volumes (w2meet-demo-pg) whose credentials are gone',
      'their data cannot be opened without them: `w2meet down -v --lab demo` removes it, then `w2meet up` starts afresh',
    ]);
    expect(new errors.LostCredentialsError('default', ['v']).hint).toContain('`w2meet down -v` removes it');
    expect(SAMPLES.PlaceholderError.make().message).toBe('{{users.5.email}} has no value');
    expect(SAMPLES.NothingToUndoError.make().message).toBe('step "break" left nothing to undo');
    expect(SAMPLES.ScenarioFileError.make().message).toBe('a.yaml:3:5: m');
  });
});

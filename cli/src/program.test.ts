import { describe, expect, it } from 'vitest';
import { buildProgram } from './program.js';

/** Parses without running: every action is replaced by one that records what it was given. */
function parse(argv: string[]) {
  const program = buildProgram().exitOverride();
  let seen: { name: string; args: unknown[] } | null = null;
  for (const command of program.commands) {
    command.exitOverride().configureOutput({ writeErr: () => {}, writeOut: () => {} });
    command.action((...args: unknown[]) => {
      seen = { name: command.name(), args: args.slice(0, -1) };
    });
  }
  program.configureOutput({ writeErr: () => {}, writeOut: () => {} });
  program.parse(argv, { from: 'user' });
  return seen as unknown as { name: string; args: unknown[] };
}

describe('the w2meet command line', () => {
  it('grade takes scenarios, runtime, port, target and reports, with a free port by default', () => {
    const { name, args } = parse([
      'grade',
      'smoke',
      'tracing',
      '--runtime',
      'docker',
      '--target',
      'http://127.0.0.1:9',
      '--reports',
      '/tmp/r',
    ]);
    expect(name).toBe('grade');
    expect(args[0]).toEqual(['smoke', 'tracing']);
    expect(args[1]).toMatchObject({ runtime: 'docker', port: 0, target: 'http://127.0.0.1:9', reports: '/tmp/r', lab: 'default' });
    expect(() => parse(['grade', '--runtime', 'kubernetes'])).toThrow();
  });

  it('report takes a run, formats and another run to compare with', () => {
    const { args } = parse(['report', 'reports/x', '--format', 'md,json', '--compare', 'reports/y']);
    expect(args[0]).toBe('reports/x');
    expect(args[1]).toMatchObject({ format: 'md,json', compare: 'reports/y' });
    expect(parse(['report']).args[1]).toMatchObject({ format: 'md,html,json,junit' });
  });

  it('up takes runtime, port, replicas, env and json', () => {
    const { args } = parse([
      'up',
      '--runtime',
      'process',
      '--port',
      '0',
      '--replicas',
      'availability=3',
      '--env',
      'JOB_WORK_MS=5',
      '--json',
    ]);
    expect(args[0]).toMatchObject({
      runtime: 'process',
      port: 0,
      replicas: 'availability=3',
      env: ['JOB_WORK_MS=5'],
      json: true,
      lab: 'default',
    });
  });

  it('up defaults to port 8080 and the auto runtime', () => {
    expect(parse(['up']).args[0]).toMatchObject({ port: 8080, runtime: 'auto' });
  });

  it('refuses a bad port, runtime, env or lab name', () => {
    expect(() => parse(['up', '--port', 'x'])).toThrow();
    expect(() => parse(['up', '--runtime', 'vm'])).toThrow();
    expect(() => parse(['up', '--env', 'lower=1'])).toThrow();
    expect(() => parse(['status', '--lab', 'Bad Name'])).toThrow();
  });

  it('has the fault verbs as commands with a target', () => {
    for (const verb of ['stop', 'start', 'kill', 'pause', 'unpause', 'restart']) {
      const { name, args } = parse([verb, 'availability-service#2']);
      expect(name).toBe(verb);
      expect(args[0]).toBe('availability-service#2');
    }
  });

  it('logs takes a target, a case id, follow and tail', () => {
    const { args } = parse(['logs', 'user-service', '--case-id', 'abc', '-f', '-n', '20']);
    expect(args[0]).toBe('user-service');
    expect(args[1]).toMatchObject({ caseId: 'abc', follow: true, tail: 20 });
  });

  it('down --volumes and doctor --fix', () => {
    expect(parse(['down', '-v']).args[0]).toMatchObject({ volumes: true });
    expect(parse(['doctor', '--fix']).args[0]).toMatchObject({ fix: true });
  });
});

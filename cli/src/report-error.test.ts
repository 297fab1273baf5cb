import Docker from 'dockerode';
import { describe, expect, it } from 'vitest';
import { UsageError } from './errors.js';
import { freePort } from './lab/free-port.js';
import { reportError } from './report-error.js';

const report = (err: unknown, env: NodeJS.ProcessEnv = {}) => {
  let text = '';
  const code = reportError(err, (t) => (text += t), env);
  return { code, text };
};

describe('reportError', () => {
  it('prints a W2meetError’s message and hint, with its exit code', () => {
    expect(report(new UsageError('no such scenario', 'see `w2meet scenario list`'))).toEqual({
      code: 2,
      text: 'w2meet: no such scenario\n  hint: see `w2meet scenario list`\n',
    });
  });

  it('says the Engine stopped answering, and what to do, when its connection is refused part-way (not "unexpected error")', async () => {
    const port = await freePort();
    const refused = await new Docker({ host: '127.0.0.1', port }).listServices().catch((e: unknown) => e);
    const { code, text } = report(refused, { DOCKER_HOST: `tcp://127.0.0.1:${port}` });
    expect(code).toBe(1);
    expect(text).toContain(`w2meet: the Docker Engine at tcp://127.0.0.1:${port} stopped answering during this command`);
    expect(text).toContain('hint: see whether it still runs');
    expect(text).not.toContain('unexpected error');
  });

  it('calls anything else a bug, with the stack only under W2MEET_DEBUG', () => {
    const bug = new TypeError('x is undefined');
    expect(report(bug)).toEqual({
      code: 1,
      text: 'w2meet: unexpected error: x is undefined\n  hint: run again with W2MEET_DEBUG=1 for the stack trace, and report it\n',
    });
    expect(report(bug, { W2MEET_DEBUG: '1' }).text).toContain('at ');
  });
});

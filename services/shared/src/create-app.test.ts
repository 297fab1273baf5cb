import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createApp } from './create-app.js';
import { HttpError } from './errors.js';

function appWithLogs() {
  const lines: Record<string, unknown>[] = [];
  const logStream = new Writable({
    write(chunk, _enc, done) {
      for (const l of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(l));
      done();
    },
  });
  const app = createApp({ service: 'test-service', instance: 'test-1', logStream });
  app.post('/things', { schema: { body: { type: 'object', required: ['n'], properties: { n: { type: 'integer' } } } } }, async () => ({
    ok: true,
  }));
  app.get('/teapot', async () => {
    throw new HttpError(418, 'short and stout');
  });
  app.get('/bug', async () => {
    throw new Error('secret internals');
  });
  return { app, lines };
}

describe('createApp: the behaviour every service shares', () => {
  it('echoes a valid Case-ID, sets X-Instance and Server-Timing, and logs one completed line', async () => {
    const { app, lines } = appWithLogs();
    const res = await app.inject({ method: 'POST', url: '/things', payload: { n: 1 }, headers: { 'case-id': 'abc-1' } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['case-id']).toBe('abc-1');
    expect(res.headers['x-instance']).toBe('test-1');
    expect(res.headers['server-timing']).toMatch(/^app;dur=\d+\.\d{3}$/);
    const done = lines.find((l) => l.msg === 'request completed');
    expect(done).toMatchObject({
      case_id: 'abc-1',
      service: 'test-service',
      instance: 'test-1',
      method: 'POST',
      path: '/things',
      status: 200,
    });
    expect(typeof done!.duration_ms).toBe('number');
  });

  it('shapes validation errors with one entry per problem', async () => {
    const { app } = appWithLogs();
    const res = await app.inject({ method: 'POST', url: '/things', payload: { n: 'x' } });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ case_id: expect.any(String), detail: [{ loc: ['body', 'n'], type: 'value_error.type' }] });
  });

  it('passes an HttpError through and hides the text of an unexpected error', async () => {
    const { app } = appWithLogs();
    const teapot = await app.inject({ url: '/teapot' });
    expect(teapot.statusCode).toBe(418);
    expect(teapot.json().detail).toEqual([{ loc: ['internal'], msg: 'short and stout', type: 'http_error' }]);
    const bug = await app.inject({ url: '/bug' });
    expect(bug.statusCode).toBe(500);
    expect(bug.body).not.toContain('secret');
  });

  it('answers unknown routes, bad JSON and big bodies in the error shape', async () => {
    const { app } = appWithLogs();
    expect((await app.inject({ url: '/nope' })).json().detail[0].msg).toBe('Not Found');
    const bad = await app.inject({ method: 'POST', url: '/things', payload: '{', headers: { 'content-type': 'application/json' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().detail[0].type).toBe('http_error');
    const big = await app.inject({ method: 'POST', url: '/things', payload: { n: 1, pad: 'x'.repeat(70_000) } });
    expect(big.statusCode).toBe(413);
  });
});

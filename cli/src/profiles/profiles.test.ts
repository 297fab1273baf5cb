import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseTargetUrl } from '../scenarios/engine-target.js';
import { shapeOf } from '../scenarios/http-shape.js';
import { loadProfile } from './load-profile.js';
import { answeringComponent, observeLine } from './log-observations.js';
import { routeFor } from './routes.js';

const dir = mkdtempSync(join(tmpdir(), 'w2meet-profiles-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const write = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

describe('target profiles', () => {
  it('loads the built-in ones: w2meet reads headers, course reads its logs and lacks three routes', async () => {
    const w2meet = await loadProfile(undefined);
    expect(w2meet.name).toBe('w2meet');
    expect(w2meet.cache).toMatchObject({ via: 'header', header: 'X-Cache' });
    const course = await loadProfile('course');
    expect(course.cache.via).toBe('log');
    expect(course.serverTime.via).toBe('log');
    expect(course.instance.via).toBe('none');
    expect(routeFor(course, 'GET', '/worker/stats')).toEqual({ absent: 'GET /worker/stats' });
    expect(routeFor(course, 'GET', '/users/user-avail/cache-aside/a@b.c')).toEqual({ absent: 'GET /users/user-avail/cache-aside/{email}' });
    expect(routeFor(course, 'GET', '/users/user-avail/cache-aside?user1email=a@b.c')).toEqual({
      path: '/users/user-avail/cache-aside?user1email=a@b.c',
    });
    expect(routeFor(course, 'POST', '/worker/stats')).toEqual({ path: '/worker/stats' });
  });

  it('reads the course system’s log lines: the Case-ID, the cache outcome, the service’s own time', async () => {
    const course = await loadProfile('course');
    const line = (instance: string, text: string) => observeLine(course, { instance, line: text, record: null });
    expect(
      line(
        'user-service',
        '2026-11-29 05:40:01,123 - user-service - INFO - [run-hits-3] CACHE ASIDE: CACHE HIT with key cache_aside_A served from Redis',
      ),
    ).toEqual({
      caseId: 'run-hits-3',
      component: 'user-service',
      cache: 'HIT',
    });
    expect(line('suggestion-service', '... - INFO - [c1] Suggestion request completed - Status=404, Time taken=41.15 ms')).toMatchObject({
      ms: 41.15,
    });
    expect(line('worker-service', '... - INFO - [c2] Request completed - Status=202, Time taken=0.84ms')).toMatchObject({ ms: 0.84 });
    expect(line('user-service', '... - WARNING - [c3] CACHE ASIDE: Redis unavailable, read from PostgreSQL')).toMatchObject({
      cache: 'BYPASS',
    });
    expect(line('user-service', 'a line that names no request')).toBeNull();
    expect(answeringComponent('/suggestion/suggestions?userId1=a')).toBe('suggestion-service');
    expect(answeringComponent('/health')).toBe('gateway');
  });

  it('extends a built-in one, rewrites a route, and puts the prefix and the target URL path before every path', async () => {
    const path = write(
      'mine.yaml',
      'name: mine\nextends: course\nprefix: /api\nroutes:\n  GET /users/users/{email}: /people/{email}\nheaders: { case_id: X-Request-ID }\nlogs: { from: files, files: { user-service: logs/user.log } }\n',
    );
    const p = await loadProfile(path);
    expect(p.cache.via).toBe('log');
    expect(p.routes.map((r) => r.route)).toContain('GET /worker/stats');
    expect(p.logs.files['user-service']).toBe(join(dir, 'logs/user.log'));
    const shape = shapeOf(p, '/v1');
    expect(shape.path('GET', '/users/users/a@b.c?x=1')).toBe('/v1/api/people/a@b.c?x=1');
    expect(shape.path('GET', '/suggestion/suggestions')).toBe('/v1/api/suggestion/suggestions');
    expect(shape.caseIdHeader).toBe('X-Request-ID');
    // The path of --target is kept, not dropped: http://host:port/api/ puts /api before every path.
    expect(parseTargetUrl('http://127.0.0.1:9/api/')).toEqual({ origin: 'http://127.0.0.1:9', basePath: '/api' });
    expect(parseTargetUrl('http://127.0.0.1:9')).toEqual({ origin: 'http://127.0.0.1:9', basePath: '' });
    expect(shape.cacheHeader).toBeUndefined();
  });

  it('replaces a choice of the profile it extends whole: a header observation becomes a log one', async () => {
    const p = await loadProfile(write('logs.yaml', 'name: l\nextends: w2meet\nobserve:\n  cache: { log: { hit: HIT, miss: MISS } }\n'));
    expect(p.cache.via).toBe('log');
    expect(p.serverTime).toMatchObject({ via: 'header', header: 'Server-Timing' });
  });

  it('takes a URL and logs from containers by label', async () => {
    const p = await loadProfile(
      write(
        'url.yaml',
        'name: u\nextends: course\nurl: http://127.0.0.1:9000/api\nlogs: { from: containers, containers: { label: app=course } }\n',
      ),
    );
    expect(p.url).toBe('http://127.0.0.1:9000/api');
    expect(p.logs).toMatchObject({ from: 'containers', containers: { label: 'app=course' } });
    await expect(loadProfile(write('both.yaml', 'name: u\nlogs: { containers: { label: a, names: {} } }\n'))).rejects.toThrow(
      /both\.yaml:2:/,
    );
  });

  it('refuses a bad profile with its file, line and column, and a missing one with what to do', async () => {
    const bad = write('bad.yaml', 'name: bad\nobserve:\n  cache: { log: { hit: "(", miss: "MISS" } }\n');
    await expect(loadProfile(bad)).rejects.toThrow(/bad\.yaml:3:\d+.*not a regular expression/);
    const unknown = write('unknown.yaml', 'name: x\nfaults: sometimes\n');
    await expect(loadProfile(unknown)).rejects.toThrow(/unknown\.yaml:2:\d+.*expected one of lab, compose, none/);
    const noGroup = write('nogroup.yaml', 'name: x\nobserve:\n  server_time: { log: { pattern: "took [0-9]+" } }\n');
    await expect(loadProfile(noGroup)).rejects.toThrow(/needs a named group \(\?<ms>/);
    await expect(loadProfile('nope')).rejects.toThrow(/no built-in profile of that name and no such file/);
  });

  it('refuses a pattern that can backtrack for hours on one line, when the profile is loaded', async () => {
    const slow = write('slow.yaml', 'name: slow\nextends: course\nobserve:\n  cache: { log: { hit: "CACHE (\\\\w+)+$", miss: "MISS" } }\n');
    await expect(loadProfile(slow)).rejects.toThrow(/slow\.yaml:4:\d+.*can take hours on one line: the group \(\\w\+\) repeats/);
  });
});

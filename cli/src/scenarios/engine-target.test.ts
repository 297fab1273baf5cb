import { describe, expect, it } from 'vitest';
import type { Runtime } from '../lab/runtime.js';
import { loadProfile } from '../profiles/load-profile.js';
import { projectTarget, urlTarget } from './engine-target.js';

const runtime = { logs: async function* () {} } as unknown as Runtime;

describe('what a target offers', () => {
  it('a compose project offers faults and its logs, less what its profile turns off', async () => {
    const course = await loadProfile('course');
    expect([...projectTarget('http://127.0.0.1:9', course, 'p', runtime).capabilities].sort()).toEqual(['faults', 'logs']);
    const off = { ...course, faults: 'none' as const, logs: { ...course.logs, from: 'none' as const } };
    const target = projectTarget('http://127.0.0.1:9', off, 'p', runtime);
    expect([...target.capabilities]).toEqual([]);
    expect(target.logs).toBeUndefined();
  });

  it('a URL offers HTTP alone, and logs only where its profile names files', async () => {
    expect([...urlTarget('http://127.0.0.1:9/api/', await loadProfile('course')).capabilities]).toEqual([]);
  });
});

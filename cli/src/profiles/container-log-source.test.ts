import { describe, expect, it } from 'vitest';
import { COMPOSE_SERVICE } from '../lab/compose-project/compose-command.js';
import { FakeEngine } from '../testing/fake-engine.js';
import { containerLogSource } from './container-log-source.js';

describe('containerLogSource', () => {
  it('reads the containers with a label, each named after its compose service', async () => {
    const engine = new FakeEngine();
    await engine.create({ Labels: { 'course.app': 'w2meet', [COMPOSE_SERVICE]: 'user-service', 'dev.w2meet.instance': 'u' } });
    await engine.create({ Labels: { 'other.app': 'x', 'dev.w2meet.instance': 'o' } });
    const source = containerLogSource(engine, { label: 'course.app=w2meet' });
    const lines = await source.since(await source.mark());
    expect(lines).toEqual([{ instance: 'user-service', line: 'log of u', record: null }]);
    expect(source.describe).toBe('containers labelled course.app=w2meet');
  });

  it('reads containers by name, and gives no lines for one that is not there', async () => {
    const engine = new FakeEngine();
    const id = await engine.create({ Labels: { 'dev.w2meet.instance': 'g' } });
    const source = containerLogSource(engine, { names: { gateway: id, 'user-service': 'no-such-container' } });
    expect(await source.since(await source.mark())).toEqual([{ instance: 'gateway', line: 'log of g', record: null }]);
  });
});

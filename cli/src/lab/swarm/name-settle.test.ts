import { describe, expect, it } from 'vitest';
import { planSettleJob, SETTLE_JOB } from './name-settle.js';

describe('planSettleJob', () => {
  it("waits on the lab's network until the name stops resolving, the name passed as an argument, never in the script", () => {
    const spec = planSettleJob('demo', 'img', 'w2meet-demo', 'user-service');
    expect(spec.Labels).toMatchObject({ 'dev.w2meet.lab': 'demo', 'dev.w2meet.component': SETTLE_JOB });
    const task = spec.TaskTemplate as { ContainerSpec: { Command: string[] }; Networks: unknown[] };
    expect(task.Networks).toEqual([{ Target: 'w2meet-demo' }]);
    expect(task.ContainerSpec.Command.slice(0, 2)).toEqual(['sh', '-c']);
    expect(task.ContainerSpec.Command[2]).toContain('getent hosts "$1"');
    expect(task.ContainerSpec.Command.slice(3)).toEqual(['settle', 'user-service']);
  });

  it('after a start, waits on every node until a connection to the name and port opens, each try cut off after a second', () => {
    const task = planSettleJob('demo', 'img', 'w2meet-demo', 'user-service', 3001).TaskTemplate as { ContainerSpec: { Command: string[] } };
    expect(task.ContainerSpec.Command.slice(0, 2)).toEqual(['bash', '-c']);
    expect(task.ContainerSpec.Command[2]).toContain('timeout 1 bash -c');
    expect(task.ContainerSpec.Command[2]).toContain('/dev/tcp/$0/$1');
    expect(task.ContainerSpec.Command.slice(3)).toEqual(['settle', 'user-service', '3001']);
  });

  it('refuses what is not an instance name', () => {
    expect(() => planSettleJob('demo', 'img', 'net', 'x; reboot')).toThrow(/not an instance name/);
  });
});

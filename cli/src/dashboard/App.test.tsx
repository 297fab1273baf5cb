import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import type { FaultVerb, InstanceStatus, LabStatus, LogLine } from '../lab/runtime.js';
import type { EngineListener } from '../scenarios/engine-events.js';
import { App } from './App.js';
import type { DashboardSource } from './dashboard-source.js';
import { theme } from './theme.js';

const instance = (id: string, name: string, replica: number, state: InstanceStatus['state'] = 'running'): InstanceStatus => ({
  id,
  name: name as InstanceStatus['name'],
  kind: 'service',
  replica,
  state,
  health: 'healthy',
  address: '',
  pid: 1,
  startedAt: null,
  timeline: {},
  dependsOn: [],
  startsAfter: [],
});

/** A lab in memory: faults change its instances' states, a scenario replays fixed events. */
function fakeSource() {
  const instances = [
    instance('redis', 'redis', 1),
    instance('availability-service-1', 'availability-service', 1),
    instance('availability-service-2', 'availability-service', 2),
  ];
  const faults: string[] = [];
  const source: DashboardSource = {
    status: async (): Promise<LabStatus> => ({
      lab: 'x',
      runtime: 'process',
      gatewayUrl: 'http://127.0.0.1:1',
      createdAt: '',
      instances: instances.map((i) => ({ ...i })),
    }),
    async *followLogs(signal: AbortSignal): AsyncIterable<LogLine> {
      yield { instance: 'gateway', line: '', record: { case_id: 'case-7', msg: 'request completed', duration_s: 0.002 } };
      await new Promise((resolve) => signal.addEventListener('abort', resolve));
    },
    workerCounters: async () => ({ queue_depth: 3, consumers: 2, settledByReplica: { 'worker-service': 10 } }),
    fault: async (verb: FaultVerb, target: string) => {
      faults.push(`${verb} ${target}`);
      const [name, replica] = target.split('#');
      for (const i of instances) {
        if (i.name === name && (!replica || i.replica === Number(replica)))
          i.state = verb === 'stop' ? 'stopped' : verb === 'pause' ? 'paused' : 'running';
      }
    },
    scenarioNames: async () => ['smoke'],
    runScenario: async (name: string, listener: EngineListener) => {
      listener({ type: 'scenario-start', scenario: name, steps: 1 });
      listener({ type: 'scenario-end', result: { name, status: 'passed' } as never });
    },
  };
  return { source, faults };
}

const tick = (ms = 60) => new Promise((r) => setTimeout(r, ms));
/** Waits for the screen (or the fake lab) to show something; on timeout says what was on screen. */
async function until(check: () => boolean, screen: () => string | undefined, ms = 3000) {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out; the screen:\n${screen()}`);
    await tick(20);
  }
}

describe('the dashboard app on a fake lab', () => {
  it('stops the selected replica, pauses another, and brings everything back with u', async () => {
    const { source, faults } = fakeSource();
    const app = render(<App lab="x" source={source} theme={theme({ NO_COLOR: '1' })} pollMs={50} />);
    await until(() => (app.lastFrame() ?? '').includes('availability-service-2'), app.lastFrame);
    app.stdin.write('\u001B[B'); // down: availability-service-1
    await tick();
    app.stdin.write('s');
    await until(() => faults.includes('stop availability-service#1'), app.lastFrame);
    app.stdin.write('\u001B[B');
    await tick();
    app.stdin.write('p');
    await until(() => faults.includes('pause availability-service#2'), app.lastFrame);
    await until(() => /availability-service-2\s+paused/.test(app.lastFrame() ?? ''), app.lastFrame);
    app.stdin.write('u');
    await until(() => faults.includes('start availability-service#1') && faults.includes('unpause availability-service#2'), app.lastFrame);
    await until(() => !/stopped|paused/.test(app.lastFrame() ?? ''), app.lastFrame);
    app.unmount();
  });

  it('runs the selected scenario and shows its verdict; filters the log to a request; quits on q', async () => {
    const { source } = fakeSource();
    const app = render(<App lab="x" source={source} theme={theme({ NO_COLOR: '1' })} pollMs={50} />);
    await until(() => (app.lastFrame() ?? '').includes('smoke'), app.lastFrame);
    app.stdin.write('\t');
    await tick();
    app.stdin.write('\r');
    await until(() => (app.lastFrame() ?? '').includes('smoke: passed'), app.lastFrame);
    app.stdin.write('l');
    await until(() => (app.lastFrame() ?? '').includes('case-7'), app.lastFrame);
    app.stdin.write('\r');
    await until(() => (app.lastFrame() ?? '').includes('filter: case-7'), app.lastFrame);
    app.stdin.write('?');
    await until(() => (app.lastFrame() ?? '').includes('Keys'), app.lastFrame);
    app.stdin.write('x');
    await until(() => !(app.lastFrame() ?? '').includes('Keys'), app.lastFrame);
    app.stdin.write('q');
    await tick();
    // Quit: the app is gone, so a key that would open the help draws nothing any more.
    const frames = app.frames.length;
    app.stdin.write('?');
    await new Promise((r) => setTimeout(r, 200));
    expect(app.frames.length).toBe(frames);
    expect(app.lastFrame()).not.toContain('Keys');
    app.unmount();
  });
});

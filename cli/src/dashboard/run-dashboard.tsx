import { render } from 'ink';
import { downEverywhere, labSpec, parseReplicas, runtimeForLab, runtimeForUp, type RuntimeChoice } from '../lab/open-lab.js';
import { App } from './App.js';
import { labSource } from './lab-source.js';
import { theme } from './theme.js';

/** Redraws at most this often: a busy lab changes the screen many times a second. */
export const MAX_FPS = 8;

export interface RunDashboardOptions {
  lab: string;
  up: boolean;
  downOnExit: boolean;
  runtime: RuntimeChoice;
  /** With --up: the gateway's port (0 picks a free one). */
  port: number;
  reportsDir: string;
}

/**
 * With --up and no lab yet, the lab is brought up beside the dashboard, so its start-up shows live:
 * each instance appears as it starts and turns healthy, and the header says what is starting.
 */
async function startUp(
  options: RunDashboardOptions,
  signal: AbortSignal,
): Promise<((say: (text: string) => void) => Promise<void>) | undefined> {
  if (!options.up || (await (await runtimeForLab(options.lab)).status(options.lab))) return undefined;
  const runtime = await runtimeForUp(options.runtime);
  const spec = await labSpec(
    { name: options.lab, gatewayPort: options.port, replicas: { 'worker-service': 2, ...parseReplicas(undefined) } },
    runtime,
  );
  return async (say) => {
    say(`bringing lab ${options.lab} up on ${runtime.name}`);
    const started = Date.now();
    await runtime.up(spec, {
      // Quitting while the lab comes up stops the start and removes what it started, as Ctrl-C does for `up`.
      signal,
      onProgress: (e) => {
        if (e.type === 'starting') say(`starting ${e.id}`);
        if (e.type === 'healthy') say(`${e.id} healthy after ${(e.ms / 1000).toFixed(2)} s`);
      },
    });
    say(`lab ${options.lab} up in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  };
}

/**
 * The lab source, keeping hold of the scenarios it runs: when the dashboard quits (q or Ctrl-C) they
 * stop after their current step and undo their faults before the process ends, as with
 * `w2meet scenario run` and Ctrl-C, so no replica is left stopped or paused behind the user's back.
 */
function stoppableSource(lab: string, reportsDir: string, quitting: AbortSignal) {
  const source = labSource(lab, reportsDir);
  const running = new Set<Promise<void>>();
  const runScenario: typeof source.runScenario = (name, listener, signal) => {
    const run = source.runScenario(name, listener, AbortSignal.any([signal, quitting]));
    running.add(run);
    void run.finally(() => running.delete(run));
    return run;
  };
  return { source: { ...source, runScenario }, running };
}

export async function runDashboard(options: RunDashboardOptions): Promise<void> {
  const quitting = new AbortController();
  const bringUp = await startUp(options, quitting.signal);
  const { source, running } = stoppableSource(options.lab, options.reportsDir, quitting.signal);
  const app = render(<App lab={options.lab} source={source} theme={theme()} bringUp={bringUp} />, {
    maxFps: MAX_FPS,
    exitOnCtrlC: true,
    patchConsole: true,
  });
  await app.waitUntilExit();
  quitting.abort();
  if (running.size > 0) {
    process.stderr.write('stopping the running scenario after its current step and undoing its faults…\n');
    await Promise.allSettled(running);
  }
  if (options.downOnExit) {
    process.stderr.write(`taking lab ${options.lab} down…\n`);
    await downEverywhere(options.lab, false);
  }
}

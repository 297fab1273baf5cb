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
  reportsDir: string;
}

export async function runDashboard(options: RunDashboardOptions): Promise<void> {
  if (options.up && !(await (await runtimeForLab(options.lab)).status(options.lab))) {
    const runtime = await runtimeForUp(options.runtime);
    process.stderr.write(`bringing lab ${options.lab} up on ${runtime.name}…\n`);
    await runtime.up(await labSpec({ name: options.lab, replicas: { 'worker-service': 2, ...parseReplicas(undefined) } }));
  }
  const app = render(<App lab={options.lab} source={labSource(options.lab, options.reportsDir)} theme={theme()} />, {
    maxFps: MAX_FPS, exitOnCtrlC: true, patchConsole: true,
  });
  await app.waitUntilExit();
  if (options.downOnExit) {
    process.stderr.write(`taking lab ${options.lab} down…\n`);
    await downEverywhere(options.lab, false);
  }
}

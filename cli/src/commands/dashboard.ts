import { Option, type Command } from 'commander';
import { UsageError } from '../errors.js';
import { RUNTIME_CHOICES, type RuntimeChoice } from '../lab/open-lab.js';
import { reportsDir } from './scenario.js';
import { parsePort, withLab } from './shared-options.js';

/** `w2meet dashboard`: watch a lab and break it from the keyboard. */
export function registerDashboard(program: Command): void {
  withLab(
    program
      .command('dashboard')
      .description('a live terminal view of the lab: instances, traffic, queue, logs, scenarios; break it from the keyboard (? for keys)')
      .option('--up', 'bring the lab up first (as `w2meet up`, two workers)', false)
      .option('--down-on-exit', 'take the lab down when the dashboard quits', false)
      .addOption(new Option('--runtime <runtime>', 'with --up: where the lab runs').choices(RUNTIME_CHOICES).default('auto'))
      .option('--port <port>', 'with --up: gateway port on 127.0.0.1 (0 picks a free one)', parsePort, 8080)
      .option('--reports <dir>', 'where scenarios run from the dashboard write their results'),
  ).action(async (options: { lab: string; up: boolean; downOnExit: boolean; runtime: RuntimeChoice; port: number; reports?: string }) => {
    if (!process.stdin.isTTY || !process.stdout.isTTY) {
      throw new UsageError(
        'the dashboard needs a terminal',
        'run it in a terminal (or tmux); for scripts use `w2meet status --json` and `w2meet logs -f`',
      );
    }
    // React's development build keeps debugging data for every render: over a long session that is
    // a fifth of a core and hundreds of MiB. Set before React loads.
    process.env.NODE_ENV ??= 'production';
    // Ink draws only the last frame when CI or CONTINUOUS_INTEGRATION is set (it reads them once, as
    // it loads). The dashboard runs only in a terminal, checked above, so a live view is what is
    // wanted even inside a CI job's shell or a tmux started from one.
    delete process.env.CI;
    delete process.env.CONTINUOUS_INTEGRATION;
    const { runDashboard } = await import('../dashboard/run-dashboard.js');
    await runDashboard({ ...options, reportsDir: reportsDir(options.reports) });
  });
}

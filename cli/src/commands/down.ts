import type { Command } from 'commander';
import { downEverywhere } from '../lab/open-lab.js';
import { withLab } from './shared-options.js';

export function registerDown(program: Command): void {
  withLab(
    program
      .command('down')
      .description('stop everything the lab started, and nothing else; safe to run twice')
      .option('-v, --volumes', "also remove the lab's data (Postgres, RabbitMQ) and logs", false),
  ).action(async (options: { lab: string; volumes: boolean }) => {
    const stopped = await downEverywhere(options.lab, options.volumes);
    const what = stopped.length ? `stopped ${stopped.length} components` : 'nothing was running';
    process.stderr.write(`lab ${options.lab}: ${what}${options.volumes ? '; data removed' : ''}\n`);
  });
}

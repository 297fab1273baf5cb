import type { Command } from 'commander';
import { runtimeForLab } from '../lab/open-lab.js';
import { criticalPath, dependenciesOf, formatStatus } from './format.js';
import { withJson, withLab } from './shared-options.js';

export function registerStatus(program: Command): void {
  withJson(withLab(program.command('status').description('every component with its state, health, address and pid'))).action(
    async (options: { lab: string; json: boolean }) => {
      const status = await (await runtimeForLab(options.lab)).status(options.lab);
      if (options.json) {
        process.stdout.write(`${JSON.stringify(status ?? { lab: options.lab, instances: [] }, null, 2)}\n`);
        return;
      }
      if (!status) {
        process.stdout.write(`no lab named ${options.lab} is up (start one with \`w2meet up\`)\n`);
        return;
      }
      process.stdout.write(`${formatStatus(status)}\n\nstart-up critical path: ${criticalPath(status, dependenciesOf(status))}\n`);
    },
  );
}

import { InvalidArgumentError, type Command } from 'commander';
import { runtimeForLab } from '../lab/open-lab.js';
import { onInterrupt } from '../signals.js';
import { withLab } from './shared-options.js';

function parseTail(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`--tail needs a whole number, got "${value}"`);
  return n;
}

export function registerLogs(program: Command): void {
  withLab(
    program
      .command('logs')
      .description('the merged logs of the lab, or of one component or replica')
      .argument('[target]', 'a component (user-service), a replica (availability-service#2) or omit for all')
      .option('--case-id <id>', 'only the lines of one request, across every hop')
      .option('-f, --follow', 'keep printing new lines until Ctrl-C', false)
      .option('-n, --tail <lines>', 'only the last N lines of each component', parseTail),
  ).action(async (target: string | undefined, options: { lab: string; caseId?: string; follow: boolean; tail?: number }) => {
    const { signal, dispose } = onInterrupt();
    try {
      const width = 24;
      const runtime = await runtimeForLab(options.lab);
      for await (const entry of runtime.logs(options.lab, { ...options, target, signal })) {
        process.stdout.write(`${entry.instance.padEnd(width)}| ${entry.line}\n`);
      }
    } finally {
      dispose();
    }
  });
}

import type { Command } from 'commander';
import { runtimeForLab } from '../lab/open-lab.js';
import type { FaultVerb } from '../lab/runtime.js';
import { withLab } from './shared-options.js';

const DESCRIPTIONS: Record<FaultVerb, string> = {
  stop: 'stop a component or replica gracefully (SIGTERM)',
  start: 'start a stopped component or replica again and wait until it is healthy',
  kill: 'kill a component or replica at once (SIGKILL)',
  pause: 'freeze a component or replica (SIGSTOP): it keeps its connections but answers nothing',
  unpause: 'let a paused component or replica run again',
  restart: 'stop, then start, a component or replica',
  alarm: 'raise a memory alarm on rabbitmq: it blocks every publisher until `unalarm`',
  unalarm: 'clear the memory alarm raised on rabbitmq',
};

/** The fault verbs as commands, as in docker compose: `w2meet stop availability-service#2`. */
export function registerFaults(program: Command): void {
  for (const verb of Object.keys(DESCRIPTIONS) as FaultVerb[]) {
    withLab(
      program
        .command(verb)
        .description(DESCRIPTIONS[verb])
        .argument('<target>', 'SERVICE or SERVICE#REPLICA, e.g. redis or suggestion-service#2'),
    ).action(async (target: string, options: { lab: string }) => {
      const done = await (await runtimeForLab(options.lab)).fault(options.lab, verb, target);
      process.stderr.write(`${verb}: ${done.join(', ')}\n`);
    });
  }
}

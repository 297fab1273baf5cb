import { UsageError } from '../../errors.js';
import type { FaultVerb } from '../runtime.js';

/**
 * A RabbitMQ memory alarm, raised on purpose: the broker's high watermark is set so low that it
 * blocks every publishing connection at once, as it does when it runs out of memory, until the
 * watermark is set back. Publishes wait for confirms that do not come; consumers keep their
 * deliveries. `unalarm` sets the watermark the lab runs with.
 */
export const ALARM_VERBS = ['alarm', 'unalarm'] as const;

export function isAlarmVerb(verb: FaultVerb): verb is (typeof ALARM_VERBS)[number] {
  return (ALARM_VERBS as readonly string[]).includes(verb);
}

/** The rabbitmqctl arguments that raise or clear the alarm; `normal` is the lab's own watermark. */
export function alarmArgs(verb: 'alarm' | 'unalarm', normal: number): string[] {
  return ['set_vm_memory_high_watermark', verb === 'alarm' ? '0.000001' : String(normal)];
}

export function checkAlarmTarget(verb: FaultVerb, names: string[]): void {
  if (isAlarmVerb(verb) && names.some((n) => n !== 'rabbitmq')) {
    throw new UsageError(
      `${verb} applies to rabbitmq only, not ${names.filter((n) => n !== 'rabbitmq').join(', ')}`,
      `w2meet ${verb} rabbitmq`,
    );
  }
}

import type { FaultVerb, InstanceState } from '../runtime.js';
import { alarmArgs } from './broker-alarm.js';
import { FaultError } from '../../errors.js';
import type { BrokerControl, DriverInstance, DriverLab, RuntimeDriver } from './driver.js';
import { waitHealthy, type HealthChecks } from './wait-healthy.js';

const live = (state: InstanceState) => state === 'running' || state === 'paused';

/**
 * What each fault verb does, on every runtime, in terms of the driver's few acts. Each one leaves
 * the instance in the state its verb names: `start` and `restart` return once it is healthy again.
 */
type Fault = <I extends DriverInstance>(driver: RuntimeDriver<I>, lab: DriverLab<I>, instance: I, checks?: HealthChecks) => Promise<void>;

export const FAULTS: Record<FaultVerb, Fault> = {
  async stop(driver, lab, i) {
    if (live(await driver.state(lab, i))) await driver.signal(lab, i, 'stop');
  },
  async kill(driver, lab, i) {
    if (live(await driver.state(lab, i))) await driver.signal(lab, i, 'kill');
  },
  async pause(driver, lab, i) {
    if ((await driver.state(lab, i)) === 'running') await driver.signal(lab, i, 'pause');
  },
  async unpause(driver, lab, i) {
    if ((await driver.state(lab, i)) === 'paused') await driver.signal(lab, i, 'unpause');
  },
  async start(driver, lab, i, checks) {
    const state = await driver.state(lab, i);
    if (state === 'paused') await driver.signal(lab, i, 'unpause');
    else if (state !== 'running') await restartAndWait(driver, lab, i, checks);
  },
  async restart(driver, lab, i, checks) {
    const state = await driver.state(lab, i);
    if (live(state)) await driver.signal(lab, i, 'stop');
    await restartAndWait(driver, lab, i, checks);
  },
  async alarm(driver, lab, i) {
    const broker = brokerOf(driver);
    await broker.command(lab, i, alarmArgs('alarm', broker.watermark));
  },
  async unalarm(driver, lab, i) {
    const broker = brokerOf(driver);
    await broker.command(lab, i, alarmArgs('unalarm', broker.watermark));
  },
};

/** Starts it again where it was (its port, its container) and waits until it is healthy. */
async function restartAndWait<I extends DriverInstance>(
  driver: RuntimeDriver<I>,
  lab: DriverLab<I>,
  i: I,
  checks?: HealthChecks,
): Promise<void> {
  const running = await driver.start(lab, i);
  // The new pid is kept at once: a fault that overlaps this one must not forget it.
  await driver.store.save(lab, [i]);
  await waitHealthy(driver, lab, i, running, new AbortController().signal, checks);
  await driver.cluster?.settle(lab, i);
}

/** The runtime's broker control; a runtime without one cannot take the alarm faults. */
function brokerOf<I extends DriverInstance>(driver: RuntimeDriver<I>): BrokerControl<I> {
  if (!driver.broker)
    throw new FaultError(`the ${driver.name} runtime offers no control of the broker, so it cannot raise or clear its alarm`);
  return driver.broker;
}

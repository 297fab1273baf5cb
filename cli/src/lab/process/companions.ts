import { LabStartError } from '../../errors.js';
import { probeFor } from '../wait/probe-for.js';
import { waitFor } from '../wait/probes.js';
import type { Companion, ProcessInstance } from './state.js';
import { logTail } from '../log-tail.js';
import { groupIsOurs, identityToRecord, instanceState, spawnInstance, stopGroup } from './supervisor.js';

const COMPANION_START_MS = 10_000;

/** Starts what an instance needs beside it (RabbitMQ's epmd) unless it already runs, and waits until it answers. */
export async function startCompanions(instance: ProcessInstance): Promise<void> {
  for (const companion of instance.companions) {
    if (instanceState(companion) === 'running') continue;
    const spawned = spawnInstance(companion);
    companion.pid = spawned.pid;
    companion.identity = identityToRecord(spawned.pid);
    companion.intended = 'running';
    companion.startedAt = new Date().toISOString();
    try {
      await waitFor(probeFor(companion.probe), {
        timeoutMs: COMPANION_START_MS,
        describe: `${instance.id}'s ${companion.id}`,
        exited: () => (spawned.alive() ? null : 'the process exited'),
      });
    } catch (err) {
      // The instance it was started for will not start: nothing else would ever stop this one.
      if (groupIsOurs(companion)) await stopGroup(companion.pid, companion.stopSignal, 2000);
      companion.pid = null;
      companion.intended = 'stopped';
      throw new LabStartError(
        `${(err as Error).message}\n--- last lines of ${companion.logFile} ---\n${logTail(companion.logFile)}`,
        'another epmd may hold its port: `w2meet down`, then `w2meet up` again; `w2meet doctor` checks that Erlang is installed',
      );
    }
  }
}

/** Stops every instance's companions that are still the lab's own processes. */
export async function stopCompanions(instances: ProcessInstance[], graceMs: number): Promise<void> {
  const companions: Companion[] = instances.flatMap((i) => i.companions ?? []);
  await Promise.all(
    companions.map(async (c) => {
      if (groupIsOurs(c)) await stopGroup(c.pid, c.stopSignal, graceMs);
      c.pid = null;
      c.intended = 'stopped';
    }),
  );
}

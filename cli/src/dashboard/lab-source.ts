import { request } from 'undici';
import { runtimeForLab } from '../lab/open-lab.js';
import type { Runtime } from '../lab/runtime.js';
import { runScenarios } from '../scenarios/run-command.js';
import { loadSuite } from '../scenarios/suite.js';
import type { DashboardSource } from './dashboard-source.js';
import { DASHBOARD_CASE_ID } from './traffic-window.js';

/** The dashboard's view of a real lab, found again on every look so it follows `up` and `down`. */
export function labSource(lab: string, reportsDir: string): DashboardSource {
  let runtime: Runtime | null = null;
  const current = async () => (runtime ??= await runtimeForLab(lab));
  return {
    async status() {
      const found = await (await current()).status(lab);
      // No lab on the runtime first found: look again, it may have come up on the other one.
      if (!found) runtime = null;
      return found;
    },
    async *followLogs(signal) {
      yield* (await current()).logs(lab, { follow: true, tail: 0, signal });
    },
    async workerCounters(gatewayUrl, replicas) {
      // The gateway balances the reads over the replicas; a few more tries than replicas reach each.
      let queue: { queue_depth: number | null; consumers: number | null } | null = null;
      const settledByReplica: Record<string, number> = {};
      for (let attempt = 0; attempt < replicas * 2 && Object.keys(settledByReplica).length < replicas; attempt++) {
        const read = await readWorkerStats(gatewayUrl);
        if (!read) break;
        queue ??= { queue_depth: read.stats.queue_depth, consumers: read.stats.consumers };
        settledByReplica[read.replica] = read.stats.processed + read.stats.failed;
      }
      return queue ? { ...queue, settledByReplica } : null;
    },
    async fault(verb, target) {
      await (await current()).fault(lab, verb, target);
    },
    async scenarioNames() {
      return (await loadSuite()).map((s) => s.scenario.name);
    },
    async runScenario(name, listener, signal) {
      // A run that cannot start (a bad file, no lab) is shown as a failed scenario with its reason,
      // not lost: the dashboard has no stderr to print it on.
      await runScenarios({ names: [name], lab, reportsDir, listeners: [listener], progress: null, signal }).catch((err: Error) => {
        listener({
          type: 'scenario-end',
          result: {
            name,
            description: '',
            kgs: [],
            claims: [],
            file: '',
            status: 'failed',
            reason: err.message,
            startedAt: new Date().toISOString(),
            durationMs: 0,
            steps: [],
            checks: [],
            faults: [],
          },
        });
      });
    },
  };
}

interface WorkerStats {
  queue_depth: number | null;
  consumers: number | null;
  processed: number;
  failed: number;
}

/** One `/worker/stats` read and the replica that answered it (X-Instance), or null when it did not answer. */
async function readWorkerStats(gatewayUrl: string): Promise<{ replica: string; stats: WorkerStats } | null> {
  try {
    const res = await request(`${gatewayUrl}/worker/stats`, {
      headersTimeout: 900,
      bodyTimeout: 900,
      headers: { 'Case-ID': DASHBOARD_CASE_ID },
    });
    if (res.statusCode !== 200) {
      await res.body.dump();
      return null;
    }
    const replica = res.headers['x-instance'];
    return { replica: typeof replica === 'string' ? replica : 'worker-service', stats: (await res.body.json()) as WorkerStats };
  } catch {
    return null;
  }
}

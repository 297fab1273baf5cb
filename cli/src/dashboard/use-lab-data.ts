import { useEffect, useRef } from 'react';
import type { LogLine } from '../lab/runtime.js';
import type { Action } from './dashboard-state.js';
import type { DashboardSource } from './dashboard-source.js';
import { JobRate } from './job-rate.js';
import { TrafficWindow } from './traffic-window.js';

/**
 * How often the lab's status and the worker's counters are read. A status read probes every
 * instance's health, which costs the lab (and the dashboard) work: every three seconds is live enough.
 */
export const POLL_MS = 3000;
/** Traffic is counted per second, whatever the poll. */
export const TICK_MS = 1000;
/** Log lines are handed to the screen in batches, so a busy lab does not redraw per line. */
export const LOG_FLUSH_MS = 250;

/**
 * Feeds the dashboard: the lab's status and the worker's counters every poll, the traffic window
 * once a second, the followed log in batches. Owns no logic of its own beyond turning reads into actions.
 */
export function useLabData(source: DashboardSource, dispatch: (a: Action) => void, pollMs = POLL_MS): void {
  const gateway = useRef<string | null>(null);
  useEffect(() => {
    const controller = new AbortController();
    const traffic = new TrafficWindow();
    let pending: LogLine[] = [];
    const jobRate = new JobRate();
    let following = false;
    const components = ['gateway', 'user-service', 'availability-service', 'suggestion-service', 'worker-service'];

    const follow = async () => {
      following = true;
      try {
        for await (const line of source.followLogs(controller.signal)) {
          // The traffic leaves w2meet's own probes out; the log keeps them, hidden until asked for.
          traffic.add(line);
          pending.push(line);
        }
      } catch {
        /* the lab went away; the next poll starts following again */
      } finally {
        following = false;
      }
    };

    const poll = async () => {
      const status = await source.status().catch(() => null);
      if (controller.signal.aborted) return;
      dispatch({ type: 'status', status });
      gateway.current = status?.gatewayUrl ?? null;
      if (status && !following) void follow();
      if (gateway.current) {
        const workers = status?.instances.filter((i) => i.name === 'worker-service').length ?? 0;
        const counters = await source.workerCounters(gateway.current, Math.max(1, workers));
        if (controller.signal.aborted) return;
        const perS = counters ? jobRate.update(Date.now(), counters.settledByReplica) : null;
        dispatch({
          type: 'queue',
          figures: { depth: counters?.queue_depth ?? null, consumers: counters?.consumers ?? null, completedPerS: perS },
        });
      }
    };

    void source
      .scenarioNames()
      .then((names) => dispatch({ type: 'scenarios', names }))
      .catch(() => {});
    void poll();
    const pollTimer = setInterval(() => void poll(), pollMs);
    // A second with no traffic after a second with none changes nothing on screen: no redraw.
    let lastShown = '';
    const tickTimer = setInterval(
      () => {
        const snapshot = traffic.tick(components);
        const shown = JSON.stringify(Object.values(snapshot.services).map((s) => (s.rps.filter(Boolean).length ? s.rps : 0)));
        if (shown === lastShown && shown === JSON.stringify(Object.values(snapshot.services).map(() => 0))) return;
        lastShown = shown;
        dispatch({ type: 'traffic', snapshot });
      },
      Math.min(TICK_MS, pollMs),
    );
    const flushTimer = setInterval(() => {
      if (!pending.length) return;
      dispatch({ type: 'logs', lines: pending });
      pending = [];
    }, LOG_FLUSH_MS);
    return () => {
      controller.abort();
      clearInterval(pollTimer);
      clearInterval(tickTimer);
      clearInterval(flushTimer);
    };
  }, [source, dispatch, pollMs]);
}

import { setTimeout as sleep } from 'node:timers/promises';
import type { ServiceSpec } from 'dockerode';
import type { SwarmEngine, SwarmNode, SwarmTask } from './swarm-engine.js';

const ENDED = new Set(['complete', 'failed', 'rejected', 'shutdown', 'orphaned', 'remove']);

/** Whether every node that can run a global job has ended its task, and the nodes whose task ended otherwise than complete. */
export function nodeJobOutcome(tasks: SwarmTask[], nodes: SwarmNode[]): { done: boolean; failures: string[] } {
  const eligible = nodes.filter((n) => n.state === 'ready' && n.availability === 'active');
  const byNode = new Map(tasks.map((t) => [t.NodeID ?? '', t]));
  const done = eligible.every((n) => ENDED.has(byNode.get(n.id)?.Status?.State ?? ''));
  const failures = eligible
    .map((n) => ({ n, t: byNode.get(n.id) }))
    .filter(({ t }) => t && ENDED.has(t.Status?.State ?? '') && t.Status?.State !== 'complete')
    .map(({ n, t }) => `${n.hostname}: ${t!.Status?.State}${t!.Status?.Err ? ` (${t!.Status.Err})` : ''}`);
  return { done, failures };
}

/**
 * Runs a one-off task on every node (a global service whose restart policy is none) until every
 * node has ended its own, the first failure, or the limit; then removes it, whatever happened.
 */
export async function runOnEveryNode(
  swarm: SwarmEngine,
  spec: ServiceSpec,
  options: { limitMs: number; signal: AbortSignal },
): Promise<{ failures: string[]; timedOut: boolean }> {
  const id = await swarm.createGlobalService({ ...spec, TaskTemplate: { ...spec.TaskTemplate, RestartPolicy: { Condition: 'none' } } });
  try {
    const deadline = Date.now() + options.limitMs;
    for (;;) {
      if (options.signal.aborted) return { failures: [], timedOut: false };
      const { done, failures } = nodeJobOutcome(await swarm.tasks(id), await swarm.nodes());
      if (failures.length || done) return { failures, timedOut: false };
      if (Date.now() >= deadline) return { failures: [], timedOut: true };
      await sleep(250);
    }
  } finally {
    await swarm.removeService(id).catch(() => {});
  }
}

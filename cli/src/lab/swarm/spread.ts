import type { DriverInstance } from '../lifecycle/driver.js';
import type { SwarmNode } from './swarm-engine.js';

/**
 * `up --runtime swarm --spread`: the node each replica of a service is pinned to, so a component's
 * replicas run on different nodes (as many as there are nodes to take them) and a load-balancing
 * run crosses machines. Replica 1 of every component goes to the node w2meet talks to: the fault
 * verbs that act on a task's container (kill, pause) are direct there, where on another node they
 * take a one-off task (remote-fault.ts), and the scenarios aim them at replica 1. Replica r goes to
 * the r-th node of that order, wrapping round.
 *
 * Only services are pinned: data services already follow their volume, and Redis and the gateway
 * are one each, left for the Engine to place. A pinned task stays on its node (the Engine restarts
 * it there, and will not move it if the node goes), which is the price of a placement that holds.
 */
export function spreadPlacement(instances: DriverInstance[], nodes: SwarmNode[], localNodeId: string): Map<string, string> {
  const usable = nodes.filter((n) => n.state === 'ready' && n.availability === 'active');
  const order = [
    ...usable.filter((n) => n.id === localNodeId),
    ...usable.filter((n) => n.id !== localNodeId).sort((a, b) => a.hostname.localeCompare(b.hostname) || a.id.localeCompare(b.id)),
  ];
  const placement = new Map<string, string>();
  if (!order.length) return placement;
  for (const i of instances) {
    if (i.kind === 'service') placement.set(i.id, order[(i.replica - 1) % order.length]!.id);
  }
  return placement;
}

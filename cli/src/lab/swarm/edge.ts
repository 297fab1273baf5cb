import type { ContainerCreateOptions } from 'dockerode';
import type { EngineClient } from '../docker/engine-client.js';
import { LABEL_COMPONENT, LABEL_LAB, labLabels } from '../docker/labels.js';

/**
 * Swarm publishes a service's port on every address of every node (its routing mesh), never on
 * 127.0.0.1 alone. So no service of the lab publishes: one plain container on the node w2meet talks
 * to (this machine, or a manager of another one that a tunnel reaches), on the lab's attachable
 * overlay network, is published on that node's 127.0.0.1 and carries each connection to the
 * gateway service by its name (the service's virtual address, which the Engine balances and keeps
 * as tasks come and go). With --expose-infra it carries Postgres, Redis and RabbitMQ the same way.
 */
export const EDGE = 'edge';

export interface EdgeRoute {
  /** The port on 127.0.0.1 of the node the edge runs on. */
  hostPort: number;
  /** host:port on the lab's network. */
  target: string;
}

/** A TCP relay in a few lines of Node, as the services' image has it: no image of its own to build. */
const RELAY = `const net = require('node:net');
for (const route of process.env.ROUTES.split(',')) {
  const [listen, target] = route.split('=');
  const at = target.lastIndexOf(':');
  net.createServer((client) => {
    const upstream = net.connect(Number(target.slice(at + 1)), target.slice(0, at));
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    const close = () => { client.destroy(); upstream.destroy(); };
    client.on('error', close).on('close', close);
    upstream.on('error', close).on('close', close);
    client.pipe(upstream).pipe(client);
  }).listen(Number(listen));
}`;

export const edgeName = (lab: string) => `w2meet-${lab}-${EDGE}`;

export function planEdge(lab: string, network: string, image: string, routes: EdgeRoute[]): ContainerCreateOptions {
  // Inside the container each route listens on the port it publishes: one number to follow.
  const exposed = Object.fromEntries(routes.map((r) => [`${r.hostPort}/tcp`, {}]));
  const bindings = Object.fromEntries(routes.map((r) => [`${r.hostPort}/tcp`, [{ HostIp: '127.0.0.1', HostPort: String(r.hostPort) }]]));
  return {
    name: edgeName(lab),
    Image: image,
    Labels: { ...labLabels(lab), [LABEL_COMPONENT]: EDGE },
    Entrypoint: [],
    Cmd: ['node', '-e', RELAY],
    Env: [`ROUTES=${routes.map((r) => `${r.hostPort}=${r.target}`).join(',')}`],
    ExposedPorts: exposed,
    HostConfig: { NetworkMode: network, PortBindings: bindings, RestartPolicy: { Name: 'unless-stopped' }, Init: true },
  };
}

/** The routes of the lab's edge (the gateway's first), read back from its environment; [] with no edge (or none running, when asked). */
export async function edgeRoutes(engine: EngineClient, lab: string, runningOnly: boolean): Promise<EdgeRoute[]> {
  const edge = (await engine.containersByLabel(`${LABEL_COMPONENT}=${EDGE}`)).find(
    (c) => c.labels[LABEL_LAB] === lab && (!runningOnly || c.state === 'running'),
  );
  if (!edge) return [];
  const env = (await engine.inspect(edge.containerId)).Config.Env ?? [];
  const routes = env.find((e) => e.startsWith('ROUTES='))?.slice('ROUTES='.length) ?? '';
  return routes
    .split(',')
    .filter(Boolean)
    .map((r) => {
      const [port, target] = r.split('=');
      return { hostPort: Number(port), target: target ?? '' };
    });
}

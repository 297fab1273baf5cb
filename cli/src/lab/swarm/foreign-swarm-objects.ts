import type Docker from 'dockerode';
import { LABEL_LAB } from '../docker/labels.js';

type Labelled = { Spec?: { Name?: string; Labels?: Record<string, string> }; Name?: string; Labels?: Record<string, string> };

/** Networks every swarm has, which no one made. */
const SWARM_OWN_NETWORKS = new Set(['ingress', 'docker_gwbridge']);

/**
 * What is on the swarm that w2meet did not make (no lab label): services, secrets, configs and
 * swarm-scoped networks, each as "kind name". Leaving the swarm would remove every one of them.
 */
export async function foreignSwarmObjects(docker: Docker): Promise<string[]> {
  const name = (o: Labelled) => o.Spec?.Name ?? o.Name ?? '?';
  const foreign = (o: Labelled) => !(o.Spec?.Labels ?? o.Labels)?.[LABEL_LAB];
  const [services, secrets, configs, networks] = await Promise.all([
    docker.listServices() as Promise<Labelled[]>,
    docker.listSecrets() as Promise<Labelled[]>,
    docker.listConfigs() as Promise<Labelled[]>,
    docker.listNetworks({ filters: { scope: ['swarm'] } }) as Promise<Labelled[]>,
  ]);
  return [
    ...services.filter(foreign).map((o) => `service ${name(o)}`),
    ...secrets.filter(foreign).map((o) => `secret ${name(o)}`),
    ...configs.filter(foreign).map((o) => `config ${name(o)}`),
    ...networks.filter((o) => foreign(o) && !SWARM_OWN_NETWORKS.has(name(o))).map((o) => `network ${name(o)}`),
  ];
}

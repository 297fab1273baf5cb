import type { ComponentName } from '../components/names.js';

/**
 * The image names compose/docker-stack.yml runs: `localhost/w2meet/<service>:latest` for each
 * service and `localhost/w2meet/local-base:latest` for the infrastructure and the gateway (one
 * Debian image holds them all). `w2meet images build` tags them; `images push` copies them to a
 * registry as `HOST:PORT/w2meet/…`. Under `localhost/`, not a bare `w2meet/`: the Engine tries to
 * pull a swarm task's image by its tag before it starts it, and a bare name is Docker Hub's, where
 * whoever holds the `w2meet` account would choose what runs (with the stack's secrets); `localhost`
 * is this machine.
 */
export const STACK_TAG = 'latest';
export const STACK_LOCAL_REPO = 'localhost/w2meet';

export function stackImageName(component: ComponentName): string {
  return component.endsWith('-service') ? component : 'local-base';
}

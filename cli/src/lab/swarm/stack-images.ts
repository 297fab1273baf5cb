import type { ComponentName } from '../components/names.js';

/**
 * The image names compose/docker-stack.yml runs: `w2meet/<service>:latest` for each service and
 * `w2meet/local-base:latest` for the infrastructure and the gateway (one Debian image holds them
 * all). `w2meet images build` tags them; `images push` copies them to a registry.
 */
export const STACK_TAG = 'latest';

export function stackImageName(component: ComponentName): string {
  return component.endsWith('-service') ? component : 'local-base';
}

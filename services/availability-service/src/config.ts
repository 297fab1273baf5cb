import { commonSchema, loadConfig, type ConfigSchema } from '../../shared/src/config.js';

export const availabilityServiceSchema = {
  ...commonSchema,
  USER_SERVICE_BASE: { kind: 'urls', protocols: ['http'], description: 'base URL of user-service (comma-separated for several replicas)' },
  UPSTREAM_TIMEOUT_MS: { kind: 'int', min: 10, max: 120_000, default: 3000, description: 'timeout of each call to user-service' },
} as const satisfies ConfigSchema;

export type AvailabilityServiceConfig = ReturnType<typeof loadAvailabilityServiceConfig>;

export function loadAvailabilityServiceConfig(env: NodeJS.ProcessEnv = process.env) {
  return loadConfig(availabilityServiceSchema, env);
}

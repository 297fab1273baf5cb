import { commonSchema, loadConfig, type ConfigSchema } from '../../shared/src/config.js';

export const suggestionServiceSchema = {
  ...commonSchema,
  AVAILABILITY_SERVICE_BASE: {
    kind: 'urls',
    protocols: ['http'],
    description: 'base URL of availability-service (comma-separated for several replicas)',
  },
  UPSTREAM_TIMEOUT_MS: {
    kind: 'int',
    min: 10,
    max: 120_000,
    default: 5000,
    description: 'timeout of each call to availability-service',
  },
} as const satisfies ConfigSchema;

export type SuggestionServiceConfig = ReturnType<typeof loadSuggestionServiceConfig>;

export function loadSuggestionServiceConfig(env: NodeJS.ProcessEnv = process.env) {
  return loadConfig(suggestionServiceSchema, env);
}

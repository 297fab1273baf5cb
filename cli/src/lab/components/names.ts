/** The lab's component names: a leaf module, so the catalogue and the spec can both start from it. */
export const SERVICES = ['user-service', 'availability-service', 'suggestion-service', 'worker-service'] as const;
export type ServiceName = (typeof SERVICES)[number];
export const INFRASTRUCTURE = ['postgres', 'redis', 'rabbitmq'] as const;
export type InfraName = (typeof INFRASTRUCTURE)[number];
export type ComponentName = ServiceName | InfraName | 'gateway';
export type ComponentKind = 'infra' | 'service' | 'gateway';

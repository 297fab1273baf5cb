import { startService } from '../../shared/src/run-service.js';
import { buildAvailabilityApp, SERVICE } from './app.js';
import { loadAvailabilityServiceConfig } from './config.js';

startService({ service: SERVICE, loadConfig: loadAvailabilityServiceConfig, build: (config) => buildAvailabilityApp(config) });

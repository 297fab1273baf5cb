import { startService } from '../../shared/src/run-service.js';
import { buildUserApp, SERVICE } from './app.js';
import { loadUserServiceConfig } from './config.js';

startService({ service: SERVICE, loadConfig: loadUserServiceConfig, build: (config) => buildUserApp(config) });

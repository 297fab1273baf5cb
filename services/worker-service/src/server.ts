import { startService } from '../../shared/src/run-service.js';
import { buildWorkerApp, SERVICE } from './app.js';
import { loadWorkerServiceConfig } from './config.js';

startService({ service: SERVICE, loadConfig: loadWorkerServiceConfig, build: (config) => buildWorkerApp(config) });

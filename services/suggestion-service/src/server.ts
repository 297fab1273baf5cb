import { startService } from '../../shared/src/run-service.js';
import { buildSuggestionApp, SERVICE } from './app.js';
import { loadSuggestionServiceConfig } from './config.js';

startService({ service: SERVICE, loadConfig: loadSuggestionServiceConfig, build: (config) => buildSuggestionApp(config) });

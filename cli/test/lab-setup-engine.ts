import { ensureDockerEngine } from './docker-engine-for-tests.js';

/** An Engine that answers, and no lab: the file brings up what it needs on an Engine of its own. */
export default async () => ensureDockerEngine();

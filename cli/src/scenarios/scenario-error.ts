// The class lives with every other error code in errors.ts; this module keeps its imports working.
export { ScenarioFileError } from '../errors.js';

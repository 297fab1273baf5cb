/**
 * Every error the CLI reports to a person, one class per situation, by family in errors/. The
 * folder imports nothing of the rest of w2meet, so any layer can throw them.
 */
export * from './errors/w2meet-error.js';
export * from './errors/lab-errors.js';
export * from './errors/engine-errors.js';
export * from './errors/run-errors.js';

import { LabRuntime } from '../lifecycle/lab-runtime.js';
import { ProcessDriver } from './process-driver.js';
import type { ProcessInstance } from './state.js';

export interface ProcessRuntimeOptions {
  env?: NodeJS.ProcessEnv;
  /** Whether this process may switch users (root); Postgres will not run as root. */
  isRoot?: boolean;
}

/** The lab's lifecycle over local processes (see process-driver.ts). */
export class ProcessRuntime extends LabRuntime<ProcessInstance> {
  constructor(options: ProcessRuntimeOptions = {}) {
    super(new ProcessDriver(options.env ?? process.env, options.isRoot ?? process.getuid?.() === 0));
  }
}

import { W2meetError } from '../errors.js';

/**
 * A scenario file that cannot run, with the place in it: `file:line:column: what was expected`.
 * Bad input, so exit 2 like any other usage error.
 */
export class ScenarioFileError extends W2meetError {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly column: number,
    readonly problem: string,
  ) {
    super('SCENARIO_FILE', `${file}:${line}:${column}: ${problem}`, 'fix the file; editors complete and check it from its JSON Schema in scenarios/', 2);
  }
}

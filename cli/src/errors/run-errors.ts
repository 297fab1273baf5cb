import { GRADE_EXIT } from './grade-exit.js';
import { W2meetError } from './w2meet-error.js';

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
    super(
      'SCENARIO_FILE',
      `${file}:${line}:${column}: ${problem}`,
      'fix the file; editors complete and check it from its JSON Schema in scenarios/',
      2,
    );
  }
}

/** --target is not the base URL of an HTTP deployment. Bad input: exit 2. */
export class TargetError extends W2meetError {
  constructor(message: string, hint = "pass the gateway's base URL, e.g. http://127.0.0.1:8080") {
    super('BAD_TARGET', message, hint, 2);
  }
}

/** The run a report was asked for is not there: no run at all yet, or no such folder. Bad input: exit 2. */
export class NoRunError extends W2meetError {
  constructor(message: string, hint: string) {
    super('NO_RUN', message, hint, 2);
  }
}

/** A run's results.json is there but cannot be read: not JSON, or of a schema this version does not read. Bad input: exit 2. */
export class ResultsFileError extends W2meetError {
  constructor(message: string, hint: string) {
    super('BAD_RESULTS', message, hint, 2);
  }
}

/** `w2meet scenario run` finished and wrote its results, but some scenario failed. */
export class ScenariosFailedError extends W2meetError {
  constructor(resultsPath: string) {
    super('SCENARIOS_FAILED', 'some scenarios failed', `see ${resultsPath}`, 1);
  }
}

/** `w2meet grade` could not bring its lab up, whatever the cause; the grade's own exit code for it. */
export class LabFailedError extends W2meetError {
  constructor(reason: string) {
    super(
      'LAB_FAILED',
      `the lab did not start: ${reason}`,
      'run `w2meet doctor`, then `w2meet up` to see the failing component',
      GRADE_EXIT.labFailed,
    );
  }
}

/*
 * The three below fail one step of a scenario: the run records the message as the step's failure
 * and goes on, so they do not reach the top, but their text is what a person reads in the report.
 */

/** A step needs part of a lab (faults, the broker, the logs, Postgres) that this target does not offer. */
export class MissingCapabilityError extends W2meetError {
  constructor(message: string, capability: string) {
    super(
      'MISSING_CAPABILITY',
      message,
      `list \`${capability}\` under the scenario's \`requires:\`, so it is skipped where it cannot run instead of failing`,
      1,
    );
  }
}

/** A `{{placeholder}}` leads to no value: an index past the end of a list, or a field its items lack. */
export class PlaceholderError extends W2meetError {
  constructor(name: string) {
    super(
      'PLACEHOLDER',
      `{{${name}}} has no value`,
      "the path must end at a value: an index below the list's length, a field its items have (create_users makes id and email)",
      1,
    );
  }
}

/** A sql step's `undo_of` names a step with nothing (left) to undo. */
export class NothingToUndoError extends W2meetError {
  constructor(step: string) {
    super(
      'NOTHING_TO_UNDO',
      `step "${step}" left nothing to undo`,
      '`undo_of` must name an earlier sql step that ran and has an `undo` statement; each is undone once',
      1,
    );
  }
}

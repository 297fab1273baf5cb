import { GRADE_EXIT } from './reports/grade-exit.js';
import type { Capability } from './scenarios/scenario-types.js';

/**
 * One error base for everything the CLI reports to a person: a stable code to match on, an exit
 * code, and a hint that says what to do next. Anything else that reaches the top is a bug.
 *
 * Every code has its class in this file, one code per situation (as undici's lib/core/errors.js
 * does): throw the class, never `new W2meetError('SOME_CODE', ...)`. errors.test.ts fails on a
 * class without a sample there, on two classes sharing a code, and on a hand-made code no class has.
 */
export class W2meetError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly hint?: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

/** The command line was wrong: exit 2, as most tools do. */
export class UsageError extends W2meetError {
  constructor(message: string, hint?: string) {
    super('USAGE', message, hint, 2);
  }
}

/** A program the lab needs is missing from this machine. */
export class PrerequisiteError extends W2meetError {
  constructor(message: string, hint = 'run `w2meet doctor` to see what is missing, or `w2meet doctor --fix` as root') {
    super('PREREQUISITE', message, hint, 1);
  }
}

/** A component did not start or never became healthy; the message carries the tail of its log. */
export class LabStartError extends W2meetError {
  constructor(message: string, hint?: string) {
    super('LAB_START', message, hint, 1);
  }
}

/** The command was interrupted (Ctrl-C); 130 is the shell's convention for SIGINT. */
export class AbortedError extends W2meetError {
  constructor(message = 'interrupted') {
    super('ABORTED', message, undefined, 130);
  }
}

/** A command needs a running lab and there is none of that name. */
export class NoLabError extends W2meetError {
  constructor(lab: string, hint = 'start one with `w2meet up`, or name another with --lab') {
    super('NO_LAB', `no lab named ${lab} is up`, hint, 1);
  }
}

/** A fault verb reached the lab but could not be carried out (rabbitmqctl refused, say). */
export class FaultError extends W2meetError {
  constructor(message: string, hint?: string) {
    super('FAULT', message, hint, 1);
  }
}

/** What w2meet keeps about a lab (its state file, its record) cannot be read. */
export class LabStateError extends W2meetError {
  constructor(message: string, hint?: string) {
    super('LAB_STATE', message, hint, 1);
  }
}

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

/** `w2meet doctor --fix` ran apt-get and it failed; apt-get's own message is above. */
export class DoctorFixError extends W2meetError {
  constructor(packages: readonly string[]) {
    super(
      'DOCTOR_FIX',
      `apt-get could not install ${packages.join(' ')}`,
      "read apt-get's message above; `apt-get update` first if its lists are old",
      1,
    );
  }
}

/*
 * The three below fail one step of a scenario: the run records the message as the step's failure
 * and goes on, so they do not reach the top, but their text is what a person reads in the report.
 */

/** A step needs part of a lab (faults, the broker, the logs, Postgres) that this target does not offer. */
export class MissingCapabilityError extends W2meetError {
  constructor(message: string, capability: Capability) {
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

/** A helper command (initdb, debootstrap, rabbitmqctl) failed and its caller named no situation for it. */
export class CommandError extends W2meetError {
  constructor(message: string) {
    super('COMMAND', message, undefined, 1);
  }
}

/** The Docker runtime needs a service's bundle from `npm run build`, and it is not there. */
export class NotBuiltError extends W2meetError {
  constructor(service: string) {
    super('NOT_BUILT', `the ${service} bundle is missing`, 'run `npm run build` first', 1);
  }
}

/** An image could not be pulled, from Docker's default registry or from a mirror. */
export class ImagePullError extends W2meetError {
  constructor(message: string, hint: string) {
    super('IMAGE_PULL', message, hint, 1);
  }
}

/** An image could not be built: a service's image, or the local base image (debootstrap). */
export class ImageBuildError extends W2meetError {
  constructor(message: string, hint?: string) {
    super('IMAGE_BUILD', message, hint, 1);
  }
}

/** An image could not be pushed to a registry (`w2meet images push`). */
export class ImagePushError extends W2meetError {
  constructor(message: string, hint: string) {
    super('IMAGE_PUSH', message, hint, 1);
  }
}

/** The Docker Engine w2meet starts in the background (dockerd) exited or never answered. */
export class EngineStartError extends W2meetError {
  constructor(message: string, log: string) {
    super('ENGINE_START', message, `see its log, ${log}`, 1);
  }
}

/**
 * The Docker Engine a command was talking to stopped taking connections part-way. Nothing w2meet
 * did is undone by it: the same command, run again once the Engine answers, goes on from what is
 * there (`down` removes whatever of the lab is left).
 */
export class EngineLostError extends W2meetError {
  constructor(address: string, cause: string) {
    super(
      'ENGINE_LOST',
      `the Docker Engine at ${address} stopped answering during this command (${cause})`,
      `see whether it still runs (\`docker info\` with the same DOCKER_HOST; on its machine, its log), then run the same command again: what was done stays, and \`w2meet down\` removes whatever of the lab is left`,
      1,
    );
  }
}

/** A lab's Docker volumes are there but the credentials that open their data are nowhere. */
export class LostCredentialsError extends W2meetError {
  constructor(lab: string, volumes: readonly string[]) {
    super(
      'LOST_CREDENTIALS',
      `lab ${lab} has Docker volumes (${volumes.join(', ')}) whose credentials are gone`,
      `their data cannot be opened without them: \`w2meet down -v${lab === 'default' ? '' : ` --lab ${lab}`}\` removes it, then \`w2meet up\` starts afresh`,
      1,
    );
  }
}

/** `docker compose up` or `down` on a compose file of someone else's failed; compose's own output is in the message. */
export class ComposeError extends W2meetError {
  constructor(
    message: string,
    hint = 'the fault is in the compose file or in what it builds: run the same compose command yourself to see its whole output',
  ) {
    super('COMPOSE', message, hint, 1);
  }
}

/** A path in a folder another user owns (a link, a FIFO, a second name) is not what root may touch there. */
export class UnsafePathError extends W2meetError {
  constructor(path: string, what: string) {
    super(
      'UNSAFE_PATH',
      `${path} is ${what}, in a folder another user can write: w2meet does not follow or touch it`,
      `remove it (rm ${path}) and try again`,
    );
  }
}

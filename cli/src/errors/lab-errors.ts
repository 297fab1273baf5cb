import { W2meetError } from './w2meet-error.js';

/** A component did not start or never became healthy; the message carries the tail of its log. */
export class LabStartError extends W2meetError {
  constructor(message: string, hint?: string) {
    super('LAB_START', message, hint, 1);
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

/** A fault job that did not complete: `ended` when its task ended (the call surely failed), not when it ran out of time (it may yet have happened). */
export class FaultJobError extends FaultError {
  constructor(
    message: string,
    hint: string,
    readonly ended: boolean,
  ) {
    super(message, hint);
  }
}

/**
 * One error base for everything the CLI reports to a person: a stable code to match on, an exit
 * code, and a hint that says what to do next. Anything else that reaches the top is a bug.
 *
 * Every code has its class in this folder, one code per situation (as undici's lib/core/errors.js
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
    // The class's own name in stack traces and util.inspect, not the base's.
    this.name = new.target.name;
  }
}

/** The command line was wrong: exit 2, as most tools do. */
export class UsageError extends W2meetError {
  constructor(message: string, hint?: string) {
    super('USAGE', message, hint, 2);
  }
}

/** The command was interrupted (Ctrl-C); 130 is the shell's convention for SIGINT. */
export class AbortedError extends W2meetError {
  constructor(message = 'interrupted') {
    super('ABORTED', message, undefined, 130);
  }
}

/** A helper command (initdb, debootstrap, rabbitmqctl) failed and its caller named no situation for it. */
export class CommandError extends W2meetError {
  constructor(message: string) {
    super('COMMAND', message, undefined, 1);
  }
}

/** A program the lab needs is missing from this machine. */
export class PrerequisiteError extends W2meetError {
  constructor(message: string, hint = 'run `w2meet doctor` to see what is missing, or `w2meet doctor --fix` as root') {
    super('PREREQUISITE', message, hint, 1);
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

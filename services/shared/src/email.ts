/**
 * A user's id is their email. Deliberately simple: one @, no spaces, a domain of dot-separated
 * labels, 254 characters at most. Every service validates ids the same way, so a bad id is a 400 at
 * the first hop instead of a confusing upstream error further down.
 *
 * The pattern runs in linear time on any input: its length look-ahead fails a long string at once
 * (ajv runs every keyword with allErrors, so maxLength alone does not spare the pattern), and the
 * domain's labels exclude the dot that separates them, so no two parts can match the same text.
 * The earlier `[^@\s]+\.[^@\s]+` backtracked quadratically: a 64 KiB body took seconds.
 */
export const EMAIL_PATTERN = '^(?=[^]{3,254}$)[^@\\s]+@[^@\\s.]+(?:\\.[^@\\s.]+)+$';

export const emailSchema = {
  type: 'string',
  minLength: 3,
  maxLength: 254,
  pattern: EMAIL_PATTERN,
} as const;

/** Query schema of the two-user endpoints (availability and suggestion). */
export const twoUsersQuerySchema = {
  type: 'object',
  required: ['userId1', 'userId2'],
  properties: { userId1: emailSchema, userId2: emailSchema },
} as const;

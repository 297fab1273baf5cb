/**
 * A user's id is their email. Deliberately simple: one @, no spaces, a dot in the domain, 254
 * characters at most. Every service validates ids the same way, so a bad id is a 400 at the first
 * hop instead of a confusing upstream error further down.
 */
export const emailSchema = {
  type: 'string',
  minLength: 3,
  maxLength: 254,
  pattern: '^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$',
} as const;

/** Query schema of the two-user endpoints (availability and suggestion). */
export const twoUsersQuerySchema = {
  type: 'object',
  required: ['userId1', 'userId2'],
  properties: { userId1: emailSchema, userId2: emailSchema },
} as const;

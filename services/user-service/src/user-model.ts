import { PREFERENCES, WEEKDAYS, type Availabilities, type Preference } from '../../shared/src/weekly-availability.js';

import { emailSchema } from '../../shared/src/email.js';

export { PREFERENCES, WEEKDAYS, emailSchema, type Availabilities, type Preference };

export interface User {
  email: string;
  availabilities: Availabilities;
  preferences: Preference;
  created_at: string;
}

/** Hours of one day: unique integers 0-23 (the route schema rejects anything else). */
const hoursSchema = {
  type: 'array',
  maxItems: 24 * 4,
  items: { type: 'integer', minimum: 0, maximum: 23 },
} as const;

export const availabilitiesSchema = {
  type: 'object',
  additionalProperties: false,
  properties: Object.fromEntries(WEEKDAYS.map((d) => [d, hoursSchema])),
} as const;

export const userBodySchema = {
  type: 'object',
  required: ['email', 'availabilities'],
  additionalProperties: false,
  properties: {
    email: emailSchema,
    availabilities: availabilitiesSchema,
    preferences: { type: 'string', enum: PREFERENCES },
  },
} as const;

export const userUpdateSchema = {
  type: 'object',
  additionalProperties: false,
  properties: userBodySchema.properties,
} as const;

export const userResponseSchema = {
  type: 'object',
  properties: {
    email: { type: 'string' },
    availabilities: { type: 'object', additionalProperties: { type: 'array', items: { type: 'integer' } } },
    preferences: { type: 'string' },
    created_at: { type: 'string' },
  },
} as const;

/** Stored form: all seven days present, hours sorted and unique. */
export function normalizeAvailabilities(input: Partial<Record<string, number[]>>): Availabilities {
  const out = {} as Availabilities;
  for (const day of WEEKDAYS) {
    out[day] = [...new Set(input[day] ?? [])].sort((a, b) => a - b);
  }
  return out;
}

/** Whether a stored user holds exactly this (normalised) availability and preference. */
export function isSameUser(stored: User, availabilities: Availabilities, preferences: Preference): boolean {
  return (
    stored.preferences === preferences && WEEKDAYS.every((d) => (stored.availabilities[d] ?? []).join(',') === availabilities[d].join(','))
  );
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/**
 * The Redis key of a user's cached read. For ASCII emails it is the reference's name, the email in
 * upper case. Upper-casing is not one-to-one beyond ASCII (`ſam` and `sam` are both `SAM`, `straße`
 * and `strasse` both `STRASSE`), so two stored users would read each other's entry: a non-ASCII
 * email keys by its stored (lower-case) form instead, behind a prefix no upper-cased ASCII key has.
 */
export function cacheKey(email: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the range is ASCII itself, from NUL up
  return /^[\x00-\x7f]*$/.test(email) ? `cache_aside_${email.toUpperCase()}` : `cache_aside_u:${email}`;
}

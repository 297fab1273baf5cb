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

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** The Redis key of a user's cached read, as the reference names it. */
export function cacheKey(email: string): string {
  return `cache_aside_${email.toUpperCase()}`;
}

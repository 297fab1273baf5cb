import { randomUUID } from 'node:crypto';

/** The header that carries one request's identity through every hop and every queued message. */
export const CASE_ID_HEADER = 'case-id';

const VALID_CASE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Keeps a client's Case-ID only when it is safe to echo into headers and logs; anything else
 * (missing, too long, CR/LF, other characters) is replaced by a fresh UUID.
 */
export function sanitizeCaseId(value: unknown, newId: () => string = randomUUID): string {
  const candidate = Array.isArray(value) ? value[0] : value;
  return typeof candidate === 'string' && VALID_CASE_ID.test(candidate) ? candidate : newId();
}

import { readFileSync } from 'node:fs';

/** The last lines of a log file, for error messages. */
export function logTail(path: string, lines = 15): string {
  try {
    const text = readFileSync(path, 'utf8');
    return text.split('\n').filter(Boolean).slice(-lines).join('\n');
  } catch {
    return '(no log yet)';
  }
}

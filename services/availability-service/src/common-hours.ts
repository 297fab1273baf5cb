import { WEEKDAYS, type Availabilities } from '../../shared/src/weekly-availability.js';

/** For each weekday, the hours both users are free, ascending; a day missing on either side is empty. */
export function commonHours(a: Partial<Availabilities>, b: Partial<Availabilities>): Availabilities {
  const out = {} as Availabilities;
  for (const day of WEEKDAYS) {
    const other = new Set(b[day] ?? []);
    out[day] = [...new Set(a[day] ?? [])].filter((h) => other.has(h)).sort((x, y) => x - y);
  }
  return out;
}

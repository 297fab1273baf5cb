import { WEEKDAYS, type Availabilities, type Preference, type Weekday } from '../../shared/src/weekly-availability.js';

export interface Suggestion {
  day: Weekday;
  /** [start hour, end hour] of the one-hour slot. */
  slot: [number, number];
}

/** Common hours as candidates in weekday order (monday first), hours ascending. */
export function candidates(common: Partial<Availabilities>): Suggestion[] {
  const out: Suggestion[] = [];
  for (const day of WEEKDAYS) {
    for (const hour of [...(common[day] ?? [])].sort((a, b) => a - b)) out.push({ day, slot: [hour, hour + 1] });
  }
  return out;
}

function pickOne(list: Suggestion[], preference: Preference, random: () => number): Suggestion {
  if (preference === 'first') return list[0]!;
  if (preference === 'last') return list[list.length - 1]!;
  return list[Math.floor(random() * list.length)]!;
}

/**
 * The contract's choice: one suggestion when both users prefer the same (or an override is given);
 * otherwise user1's pick, then user2's when it is a different slot. No common hour: none.
 */
export function pickSuggestions(
  common: Partial<Availabilities>,
  pref1: Preference,
  pref2: Preference,
  override?: Preference,
  random: () => number = Math.random,
): Suggestion[] {
  const list = candidates(common);
  if (list.length === 0) return [];
  const p1 = override ?? pref1;
  const p2 = override ?? pref2;
  const first = pickOne(list, p1, random);
  if (p1 === p2) return [first];
  const second = pickOne(list, p2, random);
  return second.day === first.day && second.slot[0] === first.slot[0] ? [first] : [first, second];
}

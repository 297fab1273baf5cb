/**
 * Whether a profile's pattern can backtrack catastrophically: a group repeated without bound
 * (`*`, `+`, `{n,}`, `{n,m}` with m > 1) that itself holds a repetition or an alternation, as in
 * `(\w+)+$` or `(a|ab)*`. JavaScript's engine backtracks, and such a pattern took seconds on a line
 * of 30 characters and hours on 40, on the main thread. Returns why, or null for a safe pattern.
 * Conservative: a few harmless patterns are refused too; they can always be written flat.
 */
export function catastrophicPattern(source: string): string | null {
  // One entry per open group: whether its body repeats or alternates, and where it opened.
  const groups: { risky: boolean; start: number }[] = [];
  let lastGroup: { risky: boolean; start: number; end: number } | null = null;
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (c === '\\') {
      i++;
      lastGroup = null;
      continue;
    }
    if (c === '[') {
      // A character class: its content is one character, whatever it holds.
      for (i++; i < source.length && source[i] !== ']'; i++) if (source[i] === '\\') i++;
      lastGroup = null;
      continue;
    }
    if (c === '(') {
      groups.push({ risky: false, start: i });
      lastGroup = null;
      continue;
    }
    if (c === ')') {
      const group = groups.pop();
      if (!group) return null; // not a valid pattern: RegExp says so itself
      // A risky body makes its enclosing group risky too, if that one repeats.
      if (group.risky && groups.length) groups[groups.length - 1]!.risky = true;
      lastGroup = { ...group, end: i };
      continue;
    }
    const repeats = unboundedRepeatAt(source, i);
    if (repeats) {
      if (lastGroup?.risky)
        return `the group ${source.slice(lastGroup.start, lastGroup.end + 1)} repeats and holds a repetition or an alternation`;
      if (groups.length) groups[groups.length - 1]!.risky = true;
      i += repeats - 1;
      lastGroup = null;
      continue;
    }
    if (c === '|' && groups.length) groups[groups.length - 1]!.risky = true;
    if (c !== '?') lastGroup = null;
  }
  return null;
}

/** The length of an unbounded repetition (`*`, `+`, `{n,}`, `{n,m}` with m > 1) at i, else 0. */
function unboundedRepeatAt(source: string, i: number): number {
  const c = source[i];
  if (c === '*' || c === '+') return 1;
  if (c !== '{') return 0;
  const m = /^\{(\d+)(,(\d*))?\}/.exec(source.slice(i));
  if (!m) return 0;
  const unbounded = m[2] !== undefined && (m[3] === '' || Number(m[3]) > 1);
  return unbounded ? m[0].length : 0;
}

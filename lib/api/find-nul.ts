/**
 * The path of the first string (or object key) in `value` that holds a NUL character, or
 * null. PostgreSQL cannot store NUL in text (SQLite can), so it is refused at the edge for
 * both; the walk is iterative, since a body may nest deeper than the call stack goes.
 */
export function findNul(value: unknown): (string | number)[] | null {
  // each entry links to its parent instead of carrying a copy of its path: a body nested 20,000
  // deep would otherwise cost the square of that in time and memory
  type Entry = { value: unknown; key: string | number; parent: Entry | null };
  const pathOf = (entry: Entry | null, last?: string): (string | number)[] => {
    const reversed: (string | number)[] = last === undefined ? [] : [last];
    for (let e = entry; e && e.parent; e = e.parent) reversed.push(e.key);
    return reversed.reverse();
  };
  const stack: Entry[] = [{ value, key: "", parent: null }];
  while (stack.length) {
    const entry = stack.pop()!;
    const v = entry.value;
    if (typeof v === "string") {
      if (v.includes("\u0000")) return pathOf(entry);
    } else if (Array.isArray(v)) {
      v.forEach((item, i) => stack.push({ value: item, key: i, parent: entry }));
    } else if (v !== null && typeof v === "object") {
      for (const [key, item] of Object.entries(v)) {
        if (key.includes("\u0000")) return pathOf(entry, key);
        stack.push({ value: item, key, parent: entry });
      }
    }
  }
  return null;
}

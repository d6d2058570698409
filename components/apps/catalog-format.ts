/**
 * Pure helpers of the catalog's storefront: counts as people read them, tags that fit a card
 * or a table cell, and the options of a filter with how many apps have each value.
 */

/** A fixed locale: the server's render and the browser's must print the same digits. */
const NUMBER = new Intl.NumberFormat("en-US");

export const formatCount = (n: number) => NUMBER.format(n);

/** "kvm (1,204)"; the bare label when the count is not known. */
export const countLabel = (label: string, count: number | undefined) =>
  count === undefined ? label : `${label} (${formatCount(count)})`;

/** "1 app", "1,204 apps". */
export const appsLabel = (total: number) => `${formatCount(total)} app${total === 1 ? "" : "s"}`;

export interface TagOverflow {
  shown: string[];
  hidden: string[];
}

/**
 * The tags a small space shows in full, in their order, and the rest (behind a "+N"): at most
 * `max` tags and, past the first, no more than `maxChars` characters together. A tag is never
 * cut: the first one is always shown whole, whatever its length.
 */
export function tagOverflow(tags: string[], max: number, maxChars = Infinity): TagOverflow {
  let used = 0;
  let n = 0;
  while (n < tags.length && n < max) {
    const next = used + tags[n].length;
    if (n > 0 && next > maxChars) break;
    used = next;
    n++;
  }
  return { shown: tags.slice(0, n), hidden: tags.slice(n) };
}

export interface FacetOption {
  value: string;
  label: string;
  /** apps that have the value; 0 for a value chosen (in the URL) that no app has */
  count: number;
}

/**
 * A filter's options from the facets' counts, in the API's order (or the most used first), with
 * the chosen values kept although no app has them any more (count 0), so that they still show
 * and can be removed.
 */
export function facetOptions(
  counts: { value: string; count: number }[] | undefined,
  chosen: string[],
  order: "api" | "count" = "api",
): FacetOption[] {
  const options = (counts ?? []).map((c) => ({ value: c.value, label: c.value, count: c.count }));
  if (order === "count") options.sort((a, b) => b.count - a.count || a.value.localeCompare(b.value));
  for (const value of chosen)
    if (!options.some((o) => o.value === value)) options.push({ value, label: value, count: 0 });
  return options;
}

/**
 * Options the UI names itself (types, states, marketplaces, zones, owners) with the facets'
 * counts joined by value: 0 for a value no usable app has, no count while the counts are not
 * known.
 */
export function withCounts<O extends { value: string; label: string }>(
  options: O[],
  counts: { value: string; count: number }[] | undefined,
): (O & { count?: number })[] {
  if (!counts) return options;
  const byValue = new Map(counts.map((c) => [c.value, c.count]));
  return options.map((o) => ({ ...o, count: byValue.get(o.value) ?? 0 }));
}

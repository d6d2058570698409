/** Dates as the console shows them: local time, to the minute (or the second, for logs). */
export function formatDateTime(iso: string | null | undefined, precise = false): string {
  if (!iso) return "—";
  return new Date(iso).toLocaleString(undefined, { dateStyle: "medium", timeStyle: precise ? "medium" : "short" });
}

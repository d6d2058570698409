import { notFound } from "next/navigation";

/** A detail page's `[id]` segment as a number; anything else is a 404 page. */
export function parseId(id: string): number {
  if (!/^[1-9]\d{0,9}$/.test(id)) notFound();
  return Number(id);
}

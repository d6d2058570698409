import { createHash } from "node:crypto";
import type { CatalogEntry, CatalogParse } from "./catalog-entry";

/**
 * How a monitor's answer changes the apps of a public marketplace, decided without touching
 * anything (the caller applies it in one transaction). Unlike OpenNebula, which keys public
 * apps by NAME and so merges two versions of one appliance (#3017, #7269), an app is the
 * upstream id **and** version. What OpenNebula gets right is kept: an app that is missing is
 * dropped only after `MISSES_TO_REMOVE` successful answers in a row without it, and an empty
 * answer never wipes the catalog.
 */
export const MISSES_TO_REMOVE = 3;

/** A public app as the sync knows it. */
export interface SyncedApp {
  id: number;
  upstreamKey: string;
  /** digest of the entry it was last written from */
  upstreamDigest: string;
  missedMonitors: number;
}

/** A catalog entry to write, with the parts of a composite app named by upstream key. */
export interface EntryToWrite {
  key: string;
  digest: string;
  entry: CatalogEntry;
  /** the parts of a composite app, in order: the slot and the upstream key of the part */
  parts: { slot: string; key: string }[];
}

export interface SyncPlan {
  create: EntryToWrite[];
  /** changed upstream: rewrite its fields (an admin's DISABLED stays DISABLED) */
  update: (EntryToWrite & { id: number })[];
  /** seen again after a miss: the count goes back to 0 */
  seen: number[];
  /** not in this answer: one more miss */
  missed: number[];
  /** missing from `MISSES_TO_REMOVE` answers in a row */
  remove: number[];
  /** entries left out, with the reason (the parser's and composite apps whose parts are not in the catalog) */
  skipped: CatalogParse["skipped"];
}

/** The identity of an upstream app: its id and version. */
export const upstreamKeyOf = (e: { upstreamId: string; version: string }) => `${e.upstreamId}@${e.version}`;

/** A digest of everything the app is written from, so that any upstream change updates it. */
export function entryDigest(entry: CatalogEntry): string {
  const stable = JSON.stringify(entry, (_k, v: unknown) => (v instanceof Date ? v.toISOString() : v));
  return createHash("sha256").update(stable).digest("hex");
}

/** A composite app changes when a part it resolves to changes (a newer version of a disk), too. */
function digestWithParts(entry: CatalogEntry, parts: EntryToWrite["parts"]): string {
  const own = entryDigest(entry);
  if (parts.length === 0) return own;
  return createHash("sha256").update(own).update(JSON.stringify(parts)).digest("hex");
}

export function planCatalogSync(existing: SyncedApp[], answer: CatalogParse): SyncPlan {
  const { writable, skipped } = resolveParts(answer);
  const plan: SyncPlan = { create: [], update: [], seen: [], missed: [], remove: [], skipped };
  // an empty answer (a server in trouble, a proxy's error page that parsed) changes nothing
  if (answer.entries.length === 0) return plan;
  const byKey = new Map(existing.map((a) => [a.upstreamKey, a]));
  for (const w of writable) {
    const app = byKey.get(w.key);
    if (!app) plan.create.push(w);
    else if (app.upstreamDigest !== w.digest) plan.update.push({ ...w, id: app.id });
    else if (app.missedMonitors > 0) plan.seen.push(app.id);
  }
  const listed = new Set(answer.entries.map(upstreamKeyOf));
  for (const app of existing) {
    if (listed.has(app.upstreamKey)) continue;
    if (app.missedMonitors + 1 >= MISSES_TO_REMOVE) plan.remove.push(app.id);
    else plan.missed.push(app.id);
  }
  return plan;
}

/**
 * Composite apps name their parts by upstream name; a part is the entry of that name of the
 * same version when there is one, else its newest version. A composite whose part is not in
 * the catalog is left out (it could not be imported), and so is one whose part is composite.
 */
function resolveParts(answer: CatalogParse): { writable: EntryToWrite[]; skipped: CatalogParse["skipped"] } {
  const byName = new Map<string, CatalogEntry[]>();
  for (const e of answer.entries) byName.set(e.name, [...(byName.get(e.name) ?? []), e]);
  const skipped = [...answer.skipped];
  const writable: EntryToWrite[] = [];
  for (const entry of answer.entries) {
    const parts: EntryToWrite["parts"] = [];
    let missing = "";
    for (const part of entry.parts) {
      const found = partOf(byName.get(part.name) ?? [], entry);
      if (!found) {
        missing = `part ${part.slot} names ${JSON.stringify(part.name)}, which the catalog does not list`;
        break;
      }
      parts.push({ slot: part.slot, key: upstreamKeyOf(found) });
    }
    if (missing) skipped.push({ upstreamId: entry.upstreamId, name: entry.name, reason: missing });
    else writable.push({ key: upstreamKeyOf(entry), digest: digestWithParts(entry, parts), entry, parts });
  }
  return { writable: dropBrokenParents(writable, skipped), skipped };
}

/** A part must be an image of a VM template, or a VM template of a service. */
function partOf(candidates: CatalogEntry[], parent: CatalogEntry): CatalogEntry | undefined {
  const wanted = parent.type === "SERVICE_TEMPLATE" ? "VMTEMPLATE" : "IMAGE";
  const fit = candidates.filter((c) => c.type === wanted);
  return fit.find((c) => c.version === parent.version) ?? fit.toSorted(newestFirst)[0];
}

const newestFirst = (a: CatalogEntry, b: CatalogEntry) =>
  (b.createdAt?.getTime() ?? 0) - (a.createdAt?.getTime() ?? 0) || b.version.localeCompare(a.version);

/** A service whose VM template was left out (its disk is missing) is left out too. */
function dropBrokenParents(writable: EntryToWrite[], skipped: CatalogParse["skipped"]): EntryToWrite[] {
  const keys = new Set(writable.map((w) => w.key));
  return writable.filter((w) => {
    const lost = w.parts.find((p) => !keys.has(p.key));
    if (!lost) return true;
    skipped.push({
      upstreamId: w.entry.upstreamId,
      name: w.entry.name,
      reason: `part ${lost.slot} is left out of the catalog`,
    });
    return false;
  });
}

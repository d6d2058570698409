import { randomBytes } from "node:crypto";
import type { DbLike } from "@/lib/auth/context";
import { packTags } from "@/lib/apps/app-dto";
import { appDisks, templateForMarket } from "@/lib/templates/composite";
import { parseTemplate, serializeTemplate } from "@/lib/templates/template-text";
import type { MarketDriver } from "../drivers/types";
import type { CatalogEntry, CatalogParse } from "./catalog-entry";
import { planCatalogSync, upstreamKeyOf, type EntryToWrite, type SyncPlan } from "./sync-plan";

/** Every user may see and import a public app; only its owner (the admin) manages it (um- u-- u--). */
const PUBLIC_APP_RIGHTS = { ownerRights: 6, groupRights: 4, otherRights: 4 };
/** What the marketplace keeps of the entries a monitor left out (shown on its page). */
const MAX_SKIPPED_SHOWN = 200;
const MAX_NAME = 128;
/** Characters an object name may not hold (lib/api/schemas objectName), replaced by a space. */
const NAME_FORBIDDEN = /[&|:\\";/'#{}$<>\p{Cc}]/gu;
const TAG = /^[a-z0-9][a-z0-9._+-]{0,31}$/;

export interface CatalogMarket {
  id: number;
  zoneId: number;
  ownerId: number;
  groupId: number;
}

export interface SyncSummary {
  created: number;
  updated: number;
  removed: number;
  skipped: number;
}

/**
 * Reads a public catalog and applies what changed to the marketplace's apps in one
 * transaction (sync-plan.ts decides what; this writes it). A catalog that cannot be read
 * throws before anything is touched, so a failed monitor changes nothing.
 */
export async function syncCatalog(
  db: { $transaction<T>(fn: (tx: DbLike) => Promise<T>, opts?: { timeout?: number }): Promise<T> },
  market: CatalogMarket,
  driver: MarketDriver,
  signal?: AbortSignal,
): Promise<SyncSummary> {
  if (!driver.readCatalog || !driver.catalogKeyOf) throw new Error(`The ${driver.name} driver has no catalog`);
  const answer = keyedEntries(await driver.readCatalog(signal), driver.catalogKeyOf.bind(driver));
  return db.$transaction(
    async (tx) => {
      // the first statement writes the marketplace's row: a second sync of the same catalog
      // (the periodic monitor and "Monitor now") waits here and then reads what this one wrote
      await tx.marketplace.update({ where: { id: market.id }, data: { monitoredAt: new Date() } });
      const existing = await tx.marketplaceApp.findMany({
        where: { marketplaceId: market.id, upstreamKey: { not: null } },
        select: { id: true, name: true, version: true, upstreamKey: true, upstreamDigest: true, missedMonitors: true },
      });
      const plan = planCatalogSync(
        existing.map((a) => ({ ...a, upstreamKey: a.upstreamKey! })),
        answer.parse,
      );
      const relinked = plan.update.map((u) => u.id);
      const gone = await goneWith(tx, plan.remove, new Set(relinked));
      const listed = new Set(answer.parse.entries.map(upstreamKeyOf));
      const unlisted = existing.filter((a) => !listed.has(a.upstreamKey!) && !gone.has(a.id));
      const { names, unlistedNames } = namesOf(answer.parse.entries, unlisted);
      // an app whose entry did not change may still have to change its name (a second version came)
      const written = new Set(relinked);
      const renamed = existing
        .filter((a) => !written.has(a.id) && !gone.has(a.id))
        .map((a) => ({ id: a.id, from: a.name, name: unlistedNames.get(a.id) ?? names.get(a.upstreamKey!)! }))
        .filter((a) => a.name !== a.from);
      const removed = await removeApps(tx, market.id, gone, relinked);
      const counts = await writeEntries(tx, market, plan, { ...answer, names }, renamed);
      if (plan.missed.length)
        await tx.marketplaceApp.updateMany({
          where: { id: { in: plan.missed } },
          data: { missedMonitors: { increment: 1 } },
        });
      if (plan.seen.length)
        await tx.marketplaceApp.updateMany({ where: { id: { in: plan.seen } }, data: { missedMonitors: 0 } });
      await tx.marketplace.update({
        where: { id: market.id },
        data: { catalogSkipped: JSON.stringify(plan.skipped.slice(0, MAX_SKIPPED_SHOWN)) },
      });
      return { created: counts.created, updated: counts.updated, removed, skipped: plan.skipped.length };
    },
    { timeout: 120_000 },
  );
}

/** The catalog with each IMAGE entry's file key; a file the driver cannot read is left out. */
function keyedEntries(parse: CatalogParse, keyOf: (url: string) => string | null) {
  const keys = new Map<string, string>();
  const entries: CatalogEntry[] = [];
  const skipped = [...parse.skipped];
  for (const e of parse.entries) {
    if (e.file) {
      const key = keyOf(e.file.url);
      if (!key) {
        skipped.push({
          upstreamId: e.upstreamId,
          name: e.name,
          reason: `its file ${e.file.url} is not under the endpoint`,
        });
        continue;
      }
      keys.set(upstreamKeyOf(e), key);
    }
    entries.push(e);
  }
  return { parse: { entries, skipped }, keys };
}

/**
 * App names are unique per marketplace: a name the answer lists more than once gets its
 * version ("Alpine (1.0)", "Alpine (2.0)"). An app the answer no longer lists (it stays until
 * its third miss) gives its name up to a listed one and takes its version too.
 */
function namesOf(
  entries: CatalogEntry[],
  unlisted: { id: number; name: string; version: string }[],
): { names: Map<string, string>; unlistedNames: Map<number, string> } {
  const counts = new Map<string, number>();
  for (const e of entries) counts.set(e.name, (counts.get(e.name) ?? 0) + 1);
  const names = new Map<string, string>();
  const taken = new Set<string>();
  for (const e of entries) {
    const suffixes = [`(${e.version})`, `[${e.upstreamId}]`];
    const name = freeName(e.name, (counts.get(e.name) ?? 0) > 1 ? suffixes : ["", ...suffixes], taken);
    names.set(upstreamKeyOf(e), name);
  }
  const unlistedNames = new Map<number, string>();
  for (const a of unlisted) {
    // its stored name is kept as it is when free (it may carry a version already)
    const name = taken.has(a.name) ? freeName(a.name, [`(${a.version})`, `[${a.id}]`], taken) : a.name;
    taken.add(name);
    unlistedNames.set(a.id, name);
  }
  return { names, unlistedNames };
}

/** The first of `base` + each suffix that is free (then numbered), taken on the way. */
function freeName(base: string, suffixes: string[], taken: Set<string>): string {
  const candidates = suffixes.map((s) => fitName(base, s));
  let name = candidates.find((c) => !taken.has(c));
  for (let n = 2; !name; n++) {
    const numbered = fitName(base, `[${n}]`);
    if (!taken.has(numbered)) name = numbered;
  }
  taken.add(name);
  return name;
}

/**
 * A name that passes the portal's name rules (lib/api/schemas objectName: no & | : \\ " ; / ' #
 * { } $ < > or control characters, at most 128 UTF-16 units): the base is cut, never the suffix.
 */
export function fitName(base: string, suffix = ""): string {
  const clean = (t: string) => t.replace(NAME_FORBIDDEN, " ").replace(/\s+/g, " ").trim();
  const tail = suffix ? ` ${clean(suffix)}` : "";
  const chars = Array.from(clean(base) || "app");
  let head = chars.join("");
  while (head.length + tail.length > MAX_NAME && chars.length > 1) {
    chars.pop();
    head = chars.join("").trimEnd();
  }
  return head + tail;
}

function tagsOf(tags: string[]): string {
  const clean = tags.map((t) =>
    t
      .toLowerCase()
      .replace(/[^a-z0-9._+-]+/g, "-")
      .replace(/^[^a-z0-9]+/, ""),
  );
  return packTags([...new Set(clean.filter((t) => TAG.test(t)))].slice(0, 20));
}

/**
 * Apps gone from the catalog, and the composite apps that still use them (a VM template whose
 * disk is gone could not be imported any more) unless this sync relinks them.
 */
async function goneWith(tx: DbLike, ids: number[], relinked: Set<number>): Promise<Set<number>> {
  const gone = new Set(ids);
  let frontier = ids;
  while (frontier.length) {
    const parents = await tx.marketplaceAppChild.findMany({
      where: { childId: { in: frontier } },
      select: { parentId: true },
    });
    frontier = [...new Set(parents.map((p) => p.parentId))].filter((id) => !gone.has(id) && !relinked.has(id));
    for (const id of frontier) gone.add(id);
  }
  return gone;
}

/** Removes `gone`; the links of the apps this sync relinks go first (they are written again). */
async function removeApps(tx: DbLike, marketId: number, gone: Set<number>, relinked: number[]): Promise<number> {
  if (gone.size === 0) return 0;
  if (relinked.length) await tx.marketplaceAppChild.deleteMany({ where: { parentId: { in: relinked } } });
  await tx.marketplaceAppChild.deleteMany({ where: { parentId: { in: [...gone] } } });
  const { count } = await tx.marketplaceApp.deleteMany({ where: { id: { in: [...gone] }, marketplaceId: marketId } });
  return count;
}

type Keyed = ReturnType<typeof keyedEntries> & { names: Map<string, string> };

/** The columns an entry sets (identity, bytes, metadata); state and ownership are the caller's. */
function columnsOf(w: EntryToWrite, answer: Keyed, driver: { key: string | undefined }) {
  const e = w.entry;
  return {
    name: answer.names.get(w.key)!,
    type: e.type,
    version: e.version,
    publisher: e.publisher,
    description: e.description,
    shortDescription: e.shortDescription,
    tags: tagsOf(e.tags),
    hypervisor: e.hypervisor,
    architecture: e.architecture,
    format: e.format,
    logoUrl: e.logoUrl,
    sizeBytes: BigInt(e.file?.size ?? 0),
    md5: e.file?.md5.toLowerCase() ?? "",
    sha256: e.file?.sha256.toLowerCase() ?? "",
    storageKey: driver.key ?? "",
    source: e.file?.url ?? "",
    imageTemplate: JSON.stringify(
      e.file ? { ...e.imageTemplate, ...(e.shortDescription && { description: e.shortDescription }) } : {},
    ),
    vmTemplate: e.vmTemplate,
    serviceTemplate: e.serviceTemplate,
    upstreamKey: w.key,
    upstreamDigest: w.digest,
    missedMonitors: 0,
    error: "",
  };
}

async function writeEntries(
  tx: DbLike,
  market: CatalogMarket,
  plan: SyncPlan,
  answer: Keyed,
  renamed: { id: number; name: string }[],
) {
  // names move between apps when versions come and go: every app written steps aside first
  const moving = [...plan.update.map((u) => u.id), ...renamed.map((r) => r.id)];
  if (moving.length) {
    const tag = randomBytes(4).toString("hex");
    for (const id of moving) await tx.marketplaceApp.update({ where: { id }, data: { name: `~sync ${tag} ${id}` } });
  }
  for (const r of renamed) await tx.marketplaceApp.update({ where: { id: r.id }, data: { name: r.name } });
  const idOf = new Map<string, number>();
  for (const u of plan.update) {
    const columns = columnsOf(u, answer, { key: answer.keys.get(u.key) });
    const app = await tx.marketplaceApp.update({ where: { id: u.id }, data: columns, select: { state: true } });
    // an admin's DISABLED stays; anything else a catalog app can be is READY
    if (app.state !== "DISABLED" && app.state !== "READY")
      await tx.marketplaceApp.update({ where: { id: u.id }, data: { state: "READY" } });
    idOf.set(u.key, u.id);
  }
  for (const c of plan.create) {
    const app = await tx.marketplaceApp.create({
      data: {
        ...columnsOf(c, answer, { key: answer.keys.get(c.key) }),
        state: "READY",
        marketplaceId: market.id,
        zoneId: market.zoneId,
        ownerId: market.ownerId,
        groupId: market.groupId,
        ...PUBLIC_APP_RIGHTS,
      },
      select: { id: true },
    });
    idOf.set(c.key, app.id);
  }
  const composites = [...plan.create, ...plan.update].filter((w) => w.parts.length > 0);
  if (composites.length) {
    const unchanged = await tx.marketplaceApp.findMany({
      where: { marketplaceId: market.id, upstreamKey: { in: composites.flatMap((w) => w.parts.map((p) => p.key)) } },
      select: { id: true, upstreamKey: true },
    });
    for (const a of unchanged) if (!idOf.has(a.upstreamKey!)) idOf.set(a.upstreamKey!, a.id);
  }
  for (const w of composites) await linkParts(tx, idOf.get(w.key)!, w, idOf);
  return { created: plan.create.length, updated: plan.update.length };
}

/**
 * A composite app's parts by id, as a published one has them: child rows in order, the VM
 * template's disks naming their IMAGE apps by APP_ID, the service's roles by app_id.
 */
async function linkParts(tx: DbLike, parentId: number, w: EntryToWrite, idOf: Map<string, number>) {
  const ids = w.parts.map((p) => idOf.get(p.key));
  if (ids.some((id) => id === undefined)) throw new Error(`app ${w.entry.name}: a part is missing after the sync`);
  await tx.marketplaceAppChild.deleteMany({ where: { parentId } });
  await tx.marketplaceAppChild.createMany({
    data: w.parts.map((p, position) => ({ parentId, position, childId: ids[position]!, slot: p.slot, created: false })),
  });
  const data =
    w.entry.type === "VMTEMPLATE"
      ? { vmTemplate: vmTemplateWithDisks(w.entry.vmTemplate, ids as number[]) }
      : { serviceTemplate: serviceWithRoles(w.entry.serviceTemplate, w.parts, ids as number[]) };
  await tx.marketplaceApp.update({ where: { id: parentId }, data });
}

/** The catalog's template with its disks, in order, naming the disk apps (one DISK per disk app). */
export function vmTemplateWithDisks(text: string, diskApps: number[]): string {
  const template = parseTemplate(text);
  let seen = 0;
  const kept = template.filter((a) => a.key !== "DISK" || seen++ < diskApps.length);
  const withApps = templateForMarket(kept, new Map(diskApps.map((id, i) => [i, id])));
  for (let i = Math.min(seen, diskApps.length); i < diskApps.length; i++)
    withApps.push({ key: "DISK", value: { APP_ID: String(diskApps[i]) } });
  const out = serializeTemplate(withApps);
  if (appDisks(parseTemplate(out)).length !== diskApps.length) throw new Error("disks were not all linked");
  return out;
}

/** The OneFlow body with each role naming its VM template app (roles the catalog lists but the body lacks are added). */
export function serviceWithRoles(text: string, parts: { slot: string }[], ids: number[]): string {
  let body: Record<string, unknown> & { roles?: unknown };
  try {
    body = JSON.parse(text || "{}") as typeof body;
    if (typeof body !== "object" || body === null || Array.isArray(body)) body = {};
  } catch {
    body = {};
  }
  const roles = (Array.isArray(body.roles) ? body.roles : []).filter(
    (r): r is Record<string, unknown> => typeof r === "object" && r !== null,
  );
  parts.forEach((part, i) => {
    const role = roles.find((r) => r.name === part.slot);
    if (role) role.app_id = ids[i];
    else roles.push({ name: part.slot, app_id: ids[i], cardinality: 1 });
  });
  return JSON.stringify({ ...body, roles });
}

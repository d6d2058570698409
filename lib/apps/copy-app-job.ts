import { z } from "zod";
import { db } from "@/lib/db/client";
import { defineStep, step, type PlannedStep } from "@/lib/jobs/define-flow";
import { PermanentJobError } from "@/lib/jobs/define-job";
import { defineFlow } from "@/lib/jobs/run-plan";
import { MarketConfigError } from "@/lib/markets/drivers/types";
import { marketDriverFor, marketOriginInclude } from "@/lib/markets/market-spec";
import { parseTemplate, serializeTemplate } from "@/lib/templates/template-text";
import { serviceBodyOf } from "./import-app-job";
import { removeUnfinishedApps } from "./publish-composite-job";
import { removeAppObject, writeAppObject, type ReadBytes } from "./write-app-object";

const id = z.number().int().positive();

export const copyPayload = z.object({
  /** the copy of the app the user copied (the root of the new tree) */
  appId: id,
  /** every app of the source tree (once each) and the copy made of it, leaves first */
  copies: z.array(z.object({ sourceId: id, copyId: id })).min(1),
  /** the child links the copies get once every byte is in, between copies */
  links: z.array(z.object({ parentId: id, position: z.number().int().min(0), childId: id, slot: z.string() })),
});
export type CopyPayload = z.infer<typeof copyPayload>;

/** The VM template a VMTEMPLATE copy carries: each disk names the copy of the app it named. */
export function vmTemplateOfCopy(text: string, copyOf: Map<number, number>): string {
  const template = parseTemplate(text).map((attr) => {
    if (attr.key !== "DISK" || typeof attr.value === "string" || attr.value.APP_ID === undefined) return attr;
    const copy = copyOf.get(Number(attr.value.APP_ID));
    if (copy === undefined) throw new Error(`a DISK names app ${attr.value.APP_ID}, which is not one of its parts`);
    return { key: attr.key, value: { ...attr.value, APP_ID: String(copy) } };
  });
  return serializeTemplate(template);
}

/** The OneFlow body a SERVICE_TEMPLATE copy carries: named `name`, each role naming the copy of its app. */
export function serviceTemplateOfCopy(text: string, copyOf: Map<number, number>, name: string): string {
  const body = serviceBodyOf(text);
  const roles = body.roles.map((role) => {
    if (role.app_id === undefined) return role;
    const copy = copyOf.get(Number(role.app_id));
    if (copy === undefined)
      throw new Error(`role ${role.name} names app ${role.app_id}, which is not one of its parts`);
    return { ...role, app_id: copy };
  });
  return JSON.stringify({ ...body, ...(typeof body.name === "string" && { name }), roles }, null, 2);
}

/** What was read matches what the source app says of its bytes (a public app may lack a checksum). */
function checkCopied(expected: { size: number; md5: string; sha256: string }, read: ReadBytes) {
  if (expected.md5 && read.md5 !== expected.md5)
    throw new PermanentJobError(`md5 mismatch: expected ${expected.md5}, got ${read.md5}`);
  if (expected.sha256 && read.sha256 !== expected.sha256)
    throw new PermanentJobError(`sha256 mismatch: expected ${expected.sha256}, got ${read.sha256}`);
  if (read.bytes !== expected.size)
    throw new PermanentJobError(`size mismatch: expected ${expected.size} bytes, got ${read.bytes}`);
}

/**
 * Copies an IMAGE app's bytes from its marketplace (any driver, any zone) into its copy's
 * object, verified against the source's size and checksums before anything is committed (see
 * writeAppObject). The copy stays LOCKED: the pivot records the result and makes it READY.
 */
export const copyAppBytes = defineStep({
  kind: "market.copy",
  params: z.object({
    /** the copy, its marketplace and key */
    appId: id,
    marketplaceId: z.number().int(),
    storageKey: z.string(),
    /** the app copied, and what it says of its bytes ("" for a checksum it does not know) */
    sourceAppId: id,
    size: z.number(),
    md5: z.string(),
    sha256: z.string(),
  }),
  result: z.object({ size: z.number(), md5: z.string(), sha256: z.string(), source: z.string() }),
  async run(ctx, p) {
    const app = await db().marketplaceApp.findUnique({
      where: { id: p.sourceAppId },
      include: { marketplace: { include: marketOriginInclude } },
    });
    if (!app) throw new PermanentJobError("the app to copy was deleted");
    if (app.state !== "READY")
      throw new PermanentJobError(`the app to copy is ${app.state}; only READY apps are copied`);
    const from = marketDriverFor(app.marketplace);
    // bytes that are gone will not come back on a retry, nor a URL that the marketplace (its
    // folder on another host) does not name
    const found = await from.stat(app.storageKey).catch((err: unknown) => {
      throw err instanceof MarketConfigError ? new PermanentJobError(err.message) : err;
    });
    if (!found) throw new PermanentJobError("the app's marketplace no longer has the app's bytes");
    return writeAppObject(ctx, {
      marketplaceId: p.marketplaceId,
      storageKey: p.storageKey,
      size: p.size,
      open: (signal) => from.openRead(app.storageKey, undefined, { signal }),
      check: (read) => checkCopied(p, read),
      limit: { bytes: p.size, message: `size mismatch: expected ${p.size} bytes, the source sent more` },
    });
  },
  compensate: (p) => removeAppObject(p.marketplaceId, p.storageKey),
});

/** A copy's template, rewritten: what cannot be is not going to change on a retry. */
function rewritten(name: string, rewrite: () => string): string {
  try {
    return rewrite();
  } catch (err) {
    throw new PermanentJobError(
      `the copy ${name} carries a template that cannot be rewritten: ${(err as Error).message}`,
    );
  }
}

/**
 * The pivot of a copy: in one transaction every copy becomes READY (an image copy with the
 * size, checksums and source its step wrote), the copies are tied together as their sources
 * are, and the templates they carry name the copies instead of the source apps.
 */
export const markCopyReady = defineStep({
  kind: "copy.ready",
  params: copyPayload.extend({ images: z.array(z.object({ appId: id, step: z.string() })) }),
  result: z.object({
    images: z.array(z.object({ appId: id, size: z.number(), md5: z.string(), sha256: z.string(), source: z.string() })),
  }),
  run: async (ctx, p) => ({
    images: p.images.map((i) => ({ appId: i.appId, ...ctx.resultOf(copyAppBytes, i.step) })),
  }),
  async record(tx, p, r) {
    const ids = p.copies.map((c) => c.copyId);
    const rows = new Map((await tx.marketplaceApp.findMany({ where: { id: { in: ids } } })).map((a) => [a.id, a]));
    for (const copyId of ids) {
      const row = rows.get(copyId);
      if (!row) throw new PermanentJobError("a copy was deleted");
      if (row.state !== "LOCKED") throw new PermanentJobError(`the copy ${row.name} is ${row.state}`);
    }
    for (const i of r.images) {
      await tx.marketplaceApp.update({
        where: { id: i.appId },
        data: {
          state: "READY",
          error: "",
          sizeBytes: BigInt(i.size),
          md5: i.md5,
          sha256: i.sha256,
          source: i.source,
        },
      });
    }
    for (const link of p.links) await tx.marketplaceAppChild.create({ data: { ...link, created: true } });
    const copyOf = new Map(p.copies.map((c) => [c.sourceId, c.copyId]));
    for (const row of rows.values()) {
      if (row.type === "IMAGE") continue;
      await tx.marketplaceApp.update({
        where: { id: row.id },
        data: {
          state: "READY",
          error: "",
          ...(row.type === "VMTEMPLATE" && {
            vmTemplate: rewritten(row.name, () => vmTemplateOfCopy(row.vmTemplate, copyOf)),
          }),
          ...(row.type === "SERVICE_TEMPLATE" && {
            serviceTemplate: rewritten(row.name, () => serviceTemplateOfCopy(row.serviceTemplate, copyOf, row.name)),
          }),
        },
      });
    }
  },
  pivot: true,
});

type CopyRow = {
  id: number;
  name: string;
  type: string;
  state: string;
  marketplaceId: number;
  storageKey: string;
  sizeBytes: bigint;
  md5: string;
  sha256: string;
};

/**
 * A copy: one step per IMAGE app of the tree (an app two parts share is copied once), then
 * every copy READY at once. A finished copy needs nothing.
 */
export function planAppCopy(p: CopyPayload, rows: Map<number, CopyRow>): PlannedStep[] {
  const root = rows.get(p.appId);
  if (!root) throw new PermanentJobError("the copy was deleted");
  if (root.state === "READY" || root.state === "DISABLED") return [];
  if (root.state !== "LOCKED") throw new PermanentJobError(`the copy is ${root.state}`);
  const images = p.copies.flatMap(({ sourceId, copyId }) => {
    const row = rows.get(copyId);
    if (!row) throw new PermanentJobError("a copy was deleted");
    return row.type === "IMAGE" ? [{ sourceId, row }] : [];
  });
  const composite = root.type !== "IMAGE";
  const copies = images.map(({ sourceId, row }, i) => ({
    ...step(
      copyAppBytes,
      `copy:${row.id}`,
      composite ? `copying ${row.name} (${i + 1}/${images.length})` : "copying",
      {
        appId: row.id,
        marketplaceId: row.marketplaceId,
        storageKey: row.storageKey,
        sourceAppId: sourceId,
        size: Number(row.sizeBytes),
        md5: row.md5,
        sha256: row.sha256,
      },
      Number(row.sizeBytes),
    ),
    ...(composite && { part: `child app ${row.name}` }),
  }));
  const ready = step(markCopyReady, "ready", "copied", {
    ...p,
    images: images.map(({ row }) => ({ appId: row.id, step: `copy:${row.id}` })),
  });
  return [...copies, ready];
}

/**
 * Copies an app with its parts into a private marketplace of this zone (see copyApp): the
 * bytes of each image app, one after the other under one progress, then every copy READY
 * together. A failure or a cancel removes every copy and every byte written.
 */
export const copyAppJob = defineFlow({
  kind: "app.copy",
  schema: copyPayload,
  steps: [copyAppBytes, markCopyReady],
  async load(p) {
    const rows = await db().marketplaceApp.findMany({ where: { id: { in: p.copies.map((c) => c.copyId) } } });
    return new Map(rows.map((a) => [a.id, a]));
  },
  plan: (p, rows) => planAppCopy(p, rows),
  async release(p) {
    const copies = await db().marketplaceApp.findMany({ where: { id: { in: p.copies.map((c) => c.copyId) } } });
    const root = copies.find((a) => a.id === p.appId);
    if (!root || root.state === "READY" || root.state === "DISABLED") return;
    await removeUnfinishedApps(root, copies, "the copy");
  },
});

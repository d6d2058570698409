import type { Prisma } from "@/lib/db/client";
import { subjectOf, type Ctx, type DbLike } from "@/lib/auth/context";
import { AppError } from "@/lib/errors";
import { appRights, type Rights } from "@/lib/permissions/rights";
import { appKey } from "@/lib/markets/app-key";
import { templateForMarket } from "@/lib/templates/composite";
import { serializeTemplate } from "@/lib/templates/template-text";
import { packTags } from "./app-dto";
import { holdImage } from "./image-hold";
import type { CompositeLayout, ImageApp, Part, ReusedApp, ServiceApp, VmApp } from "./composite-layout";

/** The columns every app of one publish shares: each is LOCKED until the publish job is done. */
export function appFields(
  ctx: Ctx,
  input: { version: string; tags: string[]; hypervisor: string; architecture: string },
  market: Rights & { id: number },
) {
  return {
    marketplaceId: market.id,
    zoneId: ctx.zone.id,
    state: "LOCKED",
    version: input.version,
    publisher: ctx.user.displayName || ctx.user.username,
    tags: packTags(input.tags),
    hypervisor: input.hypervisor,
    architecture: input.architecture,
    ownerId: ctx.user.id,
    groupId: ctx.user.primaryGroupId,
    ...appRights(subjectOf(ctx), ctx.user.umask, market),
  } satisfies Partial<Prisma.MarketplaceAppUncheckedCreateInput>;
}

type AppFields = ReturnType<typeof appFields>;

/** An app of the composite as its parent counts it. */
interface MadeApp {
  id: number;
  sizeBytes: bigint;
}

/** The apps created so far, by their place in the layout. */
type Made = Map<ImageApp | VmApp, MadeApp>;

interface Child {
  slot: string;
  id: number;
  created: boolean;
  sizeBytes: bigint;
}

/**
 * Inside the publish transaction: locks the reused apps, then creates every app of the layout,
 * parts before the apps that use them, and ties each to its parent. Returns the root's id.
 */
export async function createCompositeApps(tx: DbLike, fields: AppFields, layout: CompositeLayout): Promise<number> {
  await lockReusedApps(tx, layout.reused);
  const made: Made = new Map();
  for (const app of layout.parts)
    made.set(
      app,
      app.kind === "image" ? await createImageApp(tx, fields, app) : await createVmApp(tx, fields, app, made),
    );
  const root =
    layout.root.kind === "vm"
      ? await createVmApp(tx, fields, layout.root, made)
      : await createServiceApp(tx, fields, layout.root, made);
  return root.id;
}

/**
 * The reused apps are still READY: the update locks their rows against a delete that would
 * claim them at the same time (deleteApp claims only apps that are no one's part).
 */
async function lockReusedApps(tx: DbLike, reused: ReusedApp[]) {
  for (const app of reused) {
    const { count } = await tx.marketplaceApp.updateMany({
      where: { id: app.id, state: "READY" },
      data: { updatedAt: new Date() },
    });
    if (count === 0) throw new AppError("WRONG_STATE", `App ${app.name} is no longer READY`);
  }
}

async function createImageApp(tx: DbLike, fields: AppFields, app: ImageApp): Promise<MadeApp> {
  const { image } = app;
  if (!(await holdImage(tx, image.id))) throw new AppError("WRONG_STATE", `Image ${image.name} is no longer READY`);
  const created = await tx.marketplaceApp.create({
    data: {
      ...fields,
      name: app.name,
      type: "IMAGE",
      description: image.description,
      format: image.format,
      imageTemplate: JSON.stringify({ type: image.type, description: image.description }),
      originImageId: image.id,
    },
  });
  await tx.marketplaceApp.update({ where: { id: created.id }, data: { storageKey: appKey(created.id) } });
  return { id: created.id, sizeBytes: image.sizeBytes };
}

async function createVmApp(tx: DbLike, fields: AppFields, app: VmApp, made: Made): Promise<MadeApp> {
  const disks = app.disks.map((d) => ({ index: d.index, child: childOf(`DISK ${d.index}`, d.part, made) }));
  const children = disks.map((d) => d.child);
  const appOfDisk = new Map(disks.map((d) => [d.index, d.child.id]));
  const row = await tx.marketplaceApp.create({
    data: {
      ...fields,
      name: app.name,
      type: "VMTEMPLATE",
      description: app.description,
      vmTemplate: serializeTemplate(templateForMarket(app.vm.template, appOfDisk)),
      originTemplateId: app.vm.id,
      sizeBytes: totalSize(children),
    },
  });
  await linkChildren(tx, row.id, children);
  return { id: row.id, sizeBytes: row.sizeBytes };
}

async function createServiceApp(tx: DbLike, fields: AppFields, app: ServiceApp, made: Made): Promise<MadeApp> {
  const children = app.roles.map((r) => childOf(r.role, r.part, made));
  const body = marketServiceBody(app, new Map(children.map((c) => [c.slot, c.id])));
  const row = await tx.marketplaceApp.create({
    data: {
      ...fields,
      name: app.name,
      type: "SERVICE_TEMPLATE",
      description: app.description,
      serviceTemplate: JSON.stringify(body, null, 2),
      originTemplateId: app.service.id,
      sizeBytes: totalSize(children),
    },
  });
  await linkChildren(tx, row.id, children);
  return { id: row.id, sizeBytes: row.sizeBytes };
}

/** The OneFlow body a SERVICE_TEMPLATE app carries: its roles name their apps, not VM templates. */
function marketServiceBody(app: ServiceApp, appOfRole: Map<string, number>) {
  const { body } = app.service;
  return {
    ...body,
    name: app.name,
    description: app.description,
    roles: body.roles.map(({ vm_template: _, ...rest }) => ({ ...rest, app_id: appOfRole.get(rest.name) })),
  };
}

function childOf(slot: string, part: Part, made: Made): Child {
  if (part.kind === "reused") return { slot, id: part.app.id, created: false, sizeBytes: part.app.sizeBytes };
  const app = made.get(part.app);
  if (!app) throw new Error(`app ${part.app.name} is laid out after an app that uses it`);
  return { slot, id: app.id, created: true, sizeBytes: app.sizeBytes };
}

const totalSize = (children: Child[]) => children.reduce((sum, c) => sum + c.sizeBytes, BigInt(0));

async function linkChildren(tx: DbLike, parentId: number, children: Child[]) {
  for (const [position, c] of children.entries())
    await tx.marketplaceAppChild.create({
      data: { parentId, position, childId: c.id, slot: c.slot, created: c.created },
    });
}

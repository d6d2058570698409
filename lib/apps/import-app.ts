import { db } from "@/lib/db/client";
import { checkReadable } from "./check-readable";
import { subjectOf, type Ctx, type DbLike } from "@/lib/auth/context";
import { AppError, conflict, forbidden, isUniqueViolation } from "@/lib/errors";
import { recordAudit } from "@/lib/audit/record-audit";
import { nameFor } from "@/lib/permissions/references";
import { initialRights } from "@/lib/permissions/rights";
import { enqueueJob } from "@/lib/jobs/enqueue-job";
import { findDatastore } from "@/lib/datastores/find-datastore";
import { measureBackend, measureCapacity, noSpaceMessage } from "@/lib/datastores/measure-capacity";
import { checkQuotas } from "@/lib/quotas/check-quotas";
import { RESERVING, reserveImageTransfer } from "@/lib/quotas/reserve-transfer";
import { imageInclude, latestJobs, toImageDto } from "@/lib/images/image-dto";
import type { ImportPlanDto } from "@/lib/api/operations/apps";
import { parseTemplate, serializeTemplate } from "@/lib/templates/template-text";
import { loadAppTree, type TreeNode } from "./app-tree";
import { findApp } from "./find-app";
import { importAppJob } from "./import-app-job";
import {
  layoutImport,
  type ImportLayout,
  type ImportRole,
  type ImportSource,
  type PlannedImage,
  type PlannedVmTemplate,
} from "./import-layout";
import { NameBook } from "./import-names";

export interface ImportAppInput {
  id: number;
  datastoreId: number;
  name: string;
  createVmTemplate: boolean;
}

type AppRow = Awaited<ReturnType<typeof findApp>>;
type Datastore = Awaited<ReturnType<typeof findDatastore>>;

interface Plan extends ImportLayout<AppRow> {
  root: AppRow;
  ds: Datastore;
  totalBytes: number;
  freeBytes: number;
}

/**
 * What importing an app creates, checked as the import checks it: USE on the app and on
 * every child app (which OpenNebula never checks), all READY in enabled marketplaces that can
 * serve bytes, a datastore of this zone that takes each image type and has room for all of
 * them, and free names. The image or template the user names gets exactly that name; the
 * parts derived from it get the first free "<name>-<part>[_N]".
 */
async function planImport(ctx: Ctx, input: ImportAppInput): Promise<Plan> {
  const { root, ds } = await readTarget(ctx, input);
  const source = await readSource(ctx, root);
  const target = { name: input.name, createVmTemplate: input.createVmTemplate, datastoreType: ds.type };
  const layout = await layoutImport(source, target, new NameBook(ctx.user.id));
  checkCarriedTemplates(layout.vmTemplates);
  checkCreateRights(ctx, layout);
  const room = await checkRoom(ds, layout.images);
  // the import checks again, with the rows locked, as it reserves
  await checkQuotas(db(), {
    userId: ctx.user.id,
    groupId: ctx.user.primaryGroupId,
    datastoreId: ds.id,
    bytes: layout.images.reduce((sum, i) => sum + needOf(ds, i), 0),
    images: layout.images.length,
    field: "datastoreId",
  });
  return { root, ds, ...layout, ...room };
}

/** The app the user imports and the datastore it goes to. */
async function readTarget(ctx: Ctx, input: ImportAppInput) {
  const root = await findApp(ctx, input.id, "import");
  checkReadable(ctx, root, "", "imported");
  if (!ctx.user.createRights.includes("IMAGE")) throw forbidden("Your groups may not create images");
  const ds = await findDatastore(ctx, input.datastoreId, "use");
  if (!ds.enabled)
    throw new AppError("WRONG_STATE", `Datastore ${ds.name} is disabled`, {
      invalidParams: [{ name: "datastoreId", reason: "is disabled" }],
    });
  return { root, ds };
}

/** The app with its parts (a service's roles with theirs), each one the user may import. */
async function readSource(ctx: Ctx, root: AppRow): Promise<ImportSource<AppRow>> {
  if (root.type === "IMAGE") return { kind: "image", app: root };
  const tree = await loadAppTree(db(), root.id);
  const parts = await childApps(ctx, tree, `of ${root.name}`);
  if (root.type === "VMTEMPLATE") return { kind: "vm", app: root, parts };
  const roles: ImportRole<AppRow>[] = [];
  for (const [i, app] of parts.entries())
    roles.push({ app, parts: await childApps(ctx, tree[i].children, `of ${app.name}`) });
  return { kind: "service", app: root, roles };
}

/** The child apps of a tree level, each one the user may import. */
async function childApps(ctx: Ctx, nodes: TreeNode[], of: string): Promise<AppRow[]> {
  const out: AppRow[] = [];
  for (const node of nodes) {
    let app: AppRow;
    try {
      app = await findApp(ctx, node.app.id, "import");
    } catch (err) {
      if (err instanceof AppError) throw new AppError(err.code, `Part ${node.slot} ${of}: ${err.message}`);
      throw err;
    }
    checkReadable(ctx, app, ` (part ${node.slot} ${of})`, "imported");
    out.push(app);
  }
  return out;
}

/** The VM template each app carries must be one this portal can write back. */
function checkCarriedTemplates(vmTemplates: PlannedVmTemplate<AppRow>[]) {
  for (const vt of vmTemplates) {
    try {
      serializeTemplate(parseTemplate(vt.app.vmTemplate));
    } catch (err) {
      throw new AppError(
        "WRONG_STATE",
        `App ${vt.app.name} carries a VM template that cannot be imported: ${(err as Error).message}`,
      );
    }
  }
}

function checkCreateRights(ctx: Ctx, layout: ImportLayout<AppRow>) {
  if (!ctx.user.createRights.includes("IMAGE")) throw forbidden("Your groups may not create images");
  if (layout.vmTemplates.length > 0 && !ctx.user.createRights.includes("VM_TEMPLATE"))
    throw forbidden("Your groups may not create VM templates (import without the VM template, or ask for the right)");
  if (layout.serviceTemplate && !ctx.user.createRights.includes("SERVICE_TEMPLATE"))
    throw forbidden("Your groups may not create service templates");
}

/** The room an image takes: converted to raw, its virtual size (a qcow2 app can be much smaller). */
const needOf = (ds: Datastore, i: PlannedImage<AppRow>) =>
  ds.requiredFormat === "raw"
    ? Math.max(Number(i.app.sizeBytes), Number(i.app.virtualSizeBytes))
    : Number(i.app.sizeBytes);

/** The datastore must hold every image; answers the bytes the import brings and the room there is. */
async function checkRoom(ds: Datastore, images: PlannedImage<AppRow>[]) {
  const totalBytes = images.reduce((sum, i) => sum + Number(i.app.sizeBytes), 0);
  const needBytes = images.reduce((sum, i) => sum + needOf(ds, i), 0);
  const { capacity } = await measureCapacity(ds);
  if (needBytes > capacity.freeBytes)
    throw new AppError("NO_SPACE", noSpaceMessage(ds.name, needBytes, capacity.freeBytes), {
      invalidParams: [{ name: "datastoreId", reason: "does not have the room" }],
    });
  return { totalBytes, freeBytes: capacity.freeBytes };
}

function toPlanDto(plan: Plan): ImportPlanDto {
  return {
    images: plan.images.map((i) => ({
      name: i.name,
      type: i.type,
      sizeBytes: Number(i.app.sizeBytes),
      app: { id: i.app.id, name: i.app.name },
    })),
    vmTemplates: plan.vmTemplates.map((v) => ({
      name: v.name,
      app: { id: v.app.id, name: v.app.name },
      disks: v.disks,
    })),
    serviceTemplate: plan.serviceTemplate,
    datastore: { id: plan.ds.id, name: plan.ds.name },
    totalBytes: plan.totalBytes,
    freeBytes: plan.freeBytes,
  };
}

/** What an import would create, refused for the same reasons the import would be. */
export async function previewAppImport({ ctx, input }: { ctx: Ctx; input: ImportAppInput }) {
  return toPlanDto(await planImport(ctx, input));
}

/**
 * Imports a READY app into a datastore of the local zone (OpenNebula's "export"): an IMAGE
 * app becomes an image (and the VM template it carries, unless createVmTemplate is false); a
 * VMTEMPLATE app one image per disk and a VM template pointing to them; a SERVICE_TEMPLATE
 * app the same per role and a service template pointing to those. The images are created
 * LOCKED now; one job brings every byte, then creates the templates. Nothing half-imported
 * ever remains.
 */
export async function importApp({ ctx, input }: { ctx: Ctx; input: ImportAppInput }) {
  const plan = await planImport(ctx, input);
  const backend = await measureBackend(plan.ds);
  try {
    const { created, jobId } = await db().$transaction(async (tx) => {
      await checkNamesFree(tx, ctx.user.id, plan);
      await reserveImageTransfer(tx, ctx, {
        ds: plan.ds,
        backend,
        bytes: plan.images.reduce((sum, i) => sum + needOf(plan.ds, i), 0),
        images: plan.images.length,
        field: "datastoreId",
      });
      const created = await createImages(tx, ctx, plan);
      const job = await enqueueImport(tx, ctx, plan, created);
      await auditImport(tx, ctx, input, plan, created);
      return { created: created.map((c) => c.image), jobId: job.id };
    }, RESERVING);
    const jobs = await latestJobs(
      db(),
      created.map((c) => c.id),
    );
    return {
      ...toPlanDto(plan),
      jobId,
      created: created.map((img) => toImageDto(img, subjectOf(ctx), jobs.get(img.id) ?? null)),
    };
  } catch (err) {
    if (isUniqueViolation(err))
      throw conflict("name", `one of the names of this import was taken meanwhile; try again`);
    throw err;
  }
}

/** Who owns what the import creates, now and when the job creates the templates. */
function ownerOf(ctx: Ctx) {
  const rights = initialRights(subjectOf(ctx), ctx.user.umask);
  return { zoneId: ctx.zone.id, ownerId: ctx.user.id, groupId: ctx.user.primaryGroupId, ...rights };
}

/** The names were free when planned; another request may have taken one since. */
async function checkNamesFree(tx: DbLike, ownerId: number, plan: Plan) {
  const select = { id: true };
  for (const v of plan.vmTemplates)
    if (await tx.vmTemplate.findFirst({ where: { ownerId, name: v.name }, select }))
      throw conflict("name", `you already have a VM template named "${v.name}"`);
  const service = plan.serviceTemplate;
  if (service && (await tx.serviceTemplate.findFirst({ where: { ownerId, name: service.name }, select })))
    throw conflict("name", `you already have a service template named "${service.name}"`);
  for (const i of plan.images)
    if (await tx.image.findFirst({ where: { ownerId, name: i.name }, select }))
      throw conflict("name", `you already have an image named "${i.name}"`);
}

/** One LOCKED image per IMAGE app, in the order of the plan; the job brings their bytes. */
async function createImages(tx: DbLike, ctx: Ctx, plan: Plan) {
  const created = [];
  for (const i of plan.images) {
    const image = await tx.image.create({
      data: {
        ...ownerOf(ctx),
        name: i.name,
        datastoreId: plan.ds.id,
        type: i.type,
        description: i.app.description,
        origin: "APP",
        fromAppId: i.app.id,
        sourceUrl: i.app.source,
        expectedMd5: i.app.md5,
        expectedSha256: i.app.sha256,
        reservedBytes: BigInt(needOf(plan.ds, i)),
        state: "LOCKED",
      },
      include: imageInclude,
    });
    created.push({ appId: i.app.id, image });
  }
  return created;
}

type CreatedImage = Awaited<ReturnType<typeof createImages>>[number];

async function enqueueImport(tx: DbLike, ctx: Ctx, plan: Plan, created: CreatedImage[]) {
  const { root } = plan;
  // the first image shows the progress of the whole import
  const first = created.at(0);
  return enqueueJob(tx, importAppJob, {
    zoneId: ctx.zone.id,
    payload: {
      appId: root.id,
      images: created.map((c) => ({ appId: c.appId, imageId: c.image.id })),
      // what the templates are made of, as planned: a catalog's sync may delete or relink an
      // app before the bytes are in (each template is at most 64 KiB)
      vmTemplates: plan.vmTemplates.map((v) => ({
        appId: v.app.id,
        name: v.name,
        snapshot: { template: v.app.vmTemplate, description: v.app.description },
      })),
      serviceTemplate: plan.serviceTemplate && {
        name: plan.serviceTemplate.name,
        snapshot: { body: root.serviceTemplate, description: root.description },
      },
      owner: ownerOf(ctx),
    },
    title: `Import app ${root.name} from marketplace ${nameFor(subjectOf(ctx), root.marketplace, "MARKETPLACE")} into ${plan.ds.name}`,
    objectType: first ? "IMAGE" : "MARKETPLACE_APP",
    objectId: first ? first.image.id : root.id,
    createdById: ctx.user.id,
    bytesTotal: plan.totalBytes,
  });
}

async function auditImport(tx: DbLike, ctx: Ctx, input: ImportAppInput, plan: Plan, created: CreatedImage[]) {
  await recordAudit(
    { ...ctx, tx },
    {
      action: "app.import",
      objectType: "MARKETPLACE_APP",
      objectId: plan.root.id,
      objectName: plan.root.name,
      details: {
        datastoreId: plan.ds.id,
        name: input.name,
        images: created.map((c) => c.image.id),
        vmTemplates: plan.vmTemplates.map((v) => v.name),
        serviceTemplate: plan.serviceTemplate?.name ?? null,
      },
    },
  );
}

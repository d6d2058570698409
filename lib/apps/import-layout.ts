import { AppError } from "@/lib/errors";
import { TYPES_BY_DATASTORE } from "@/lib/images/image-rules";
import { appDisks } from "@/lib/templates/composite";
import { parseTemplate } from "@/lib/templates/template-text";
import { serviceBodyOf } from "./import-app-job";

/** What the layout reads of an app; the import keeps the whole row for what it creates. */
export interface ImportableApp {
  id: number;
  name: string;
  type: string;
  imageTemplate: string;
  vmTemplate: string;
  serviceTemplate: string;
}

/** A role's VMTEMPLATE app and its image parts. */
export interface ImportRole<A extends ImportableApp> {
  app: A;
  parts: A[];
}

/** The app to import with its parts, each one already checked importable. */
export type ImportSource<A extends ImportableApp> =
  { kind: "image"; app: A } | { kind: "vm"; app: A; parts: A[] } | { kind: "service"; app: A; roles: ImportRole<A>[] };

export interface PlannedImage<A extends ImportableApp> {
  app: A;
  name: string;
  type: string;
}

export interface PlannedVmTemplate<A extends ImportableApp> {
  app: A;
  name: string;
  /** the names of its disks' images, in the order of the disks */
  disks: string[];
}

export interface PlannedServiceTemplate {
  name: string;
  roles: { name: string; vmTemplate: string }[];
}

export interface ImportLayout<A extends ImportableApp> {
  images: PlannedImage<A>[];
  vmTemplates: PlannedVmTemplate<A>[];
  serviceTemplate: PlannedServiceTemplate | null;
}

/**
 * Names for what an import creates: the exact name the user gave (refused when taken), or the
 * first free one derived from a base.
 */
export interface ImportNames {
  exactImage(name: string): Promise<string>;
  exactVm(name: string): Promise<string>;
  exactService(name: string): Promise<string>;
  image(base: string): Promise<string>;
  vm(base: string): Promise<string>;
}

export interface ImportTarget {
  /** the name the user gave the image or template the app becomes */
  name: string;
  /** for an IMAGE app: create the VM template it carries too */
  createVmTemplate: boolean;
  datastoreType: string;
}

/** The layout being built, and the image already planned for each IMAGE app. */
interface Draft<A extends ImportableApp> {
  names: ImportNames;
  datastoreType: string;
  images: PlannedImage<A>[];
  vmTemplates: PlannedVmTemplate<A>[];
  imageOfApp: Map<number, PlannedImage<A>>;
}

/**
 * The images, VM templates and service template an import creates, as plain data. The one the
 * user names gets exactly `target.name`; the parts derived from it the first free
 * "<name>-<role>" (VM templates of a service) and "<VM template>-disk<N>" (images). An app
 * that several disks or roles share is imported once.
 */
export async function layoutImport<A extends ImportableApp>(
  source: ImportSource<A>,
  target: ImportTarget,
  names: ImportNames,
): Promise<ImportLayout<A>> {
  const draft: Draft<A> = {
    names,
    datastoreType: target.datastoreType,
    images: [],
    vmTemplates: [],
    imageOfApp: new Map(),
  };
  let serviceTemplate: PlannedServiceTemplate | null = null;
  if (source.kind === "image") await layoutImageApp(draft, source.app, target);
  else if (source.kind === "vm") await layoutVm(draft, source.app, source.parts, target.name, true);
  else serviceTemplate = await layoutService(draft, source.app, source.roles, target.name);
  return { images: draft.images, vmTemplates: draft.vmTemplates, serviceTemplate };
}

/** An IMAGE app: the image, and the VM template it carries when asked for. */
async function layoutImageApp<A extends ImportableApp>(draft: Draft<A>, app: A, target: ImportTarget) {
  const image = await layoutImage(draft, app, target.name, true);
  if (target.createVmTemplate && app.vmTemplate.trim())
    draft.vmTemplates.push({ app, name: await draft.names.exactVm(target.name), disks: [image.name] });
}

async function layoutImage<A extends ImportableApp>(
  draft: Draft<A>,
  app: A,
  name: string,
  exact: boolean,
): Promise<PlannedImage<A>> {
  const known = draft.imageOfApp.get(app.id);
  if (known) return known;
  const type = imageType(app, draft.datastoreType);
  const planned = { app, name: exact ? await draft.names.exactImage(name) : await draft.names.image(name), type };
  draft.images.push(planned);
  draft.imageOfApp.set(app.id, planned);
  return planned;
}

function imageType(app: ImportableApp, datastoreType: string): string {
  const type = (JSON.parse(app.imageTemplate) as { type?: string }).type ?? "OS";
  if (!TYPES_BY_DATASTORE[datastoreType]?.includes(type))
    throw new AppError("INVALID", `A ${datastoreType} datastore does not take ${type} images (app ${app.name})`, {
      invalidParams: [{ name: "datastoreId", reason: `does not take ${type} images` }],
    });
  return type;
}

/** A VMTEMPLATE app: one image per disk part, then the template. */
async function layoutVm<A extends ImportableApp>(
  draft: Draft<A>,
  app: A,
  parts: A[],
  name: string,
  exact: boolean,
): Promise<PlannedVmTemplate<A>> {
  const byId = new Map(parts.map((p) => [p.id, p]));
  const vmName = exact ? await draft.names.exactVm(name) : await draft.names.vm(name);
  const disks: string[] = [];
  for (const disk of appDisks(parseTemplate(app.vmTemplate))) {
    const part = byId.get(disk.appId);
    if (!part || part.type !== "IMAGE")
      throw new AppError(
        "WRONG_STATE",
        `App ${app.name}: DISK ${disk.index} names app ${disk.appId}, which is not one of its image parts`,
      );
    disks.push((await layoutImage(draft, part, `${vmName}-disk${disk.index}`, false)).name);
  }
  const planned = { app, name: vmName, disks };
  draft.vmTemplates.push(planned);
  return planned;
}

/** A SERVICE_TEMPLATE app: a VM template per role app (each once), then the service template. */
async function layoutService<A extends ImportableApp>(
  draft: Draft<A>,
  app: A,
  roleApps: ImportRole<A>[],
  name: string,
): Promise<PlannedServiceTemplate> {
  let body: ReturnType<typeof serviceBodyOf>;
  try {
    body = serviceBodyOf(app.serviceTemplate);
  } catch (err) {
    throw new AppError("WRONG_STATE", `App ${app.name}: ${(err as Error).message}`);
  }
  const serviceName = await draft.names.exactService(name);
  const roles: PlannedServiceTemplate["roles"] = [];
  for (const role of body.roles) {
    const roleApp = roleApps.find((r) => r.app.id === role.app_id);
    if (!roleApp || roleApp.app.type !== "VMTEMPLATE")
      throw new AppError("WRONG_STATE", `App ${app.name}: role ${role.name} names no VM template part`);
    const vm =
      draft.vmTemplates.find((v) => v.app.id === roleApp.app.id) ??
      (await layoutVm(draft, roleApp.app, roleApp.parts, `${serviceName}-${role.name}`, false));
    roles.push({ name: role.name, vmTemplate: vm.name });
  }
  return { name: serviceName, roles };
}

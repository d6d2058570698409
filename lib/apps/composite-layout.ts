import type { Template } from "@/lib/templates/template-text";
import type { ServiceTemplateBody } from "@/lib/templates/service-template-body";

/** An image of this cloud that a composite publish uploads as an IMAGE app. */
export interface SourceImage {
  id: number;
  name: string;
  description: string;
  type: string;
  format: string;
  sizeBytes: bigint;
}

/** A READY app the user picked for a disk or a role: the composite uses it as it is. */
export interface ReusedApp {
  id: number;
  name: string;
  sizeBytes: bigint;
}

/** An image disk of a VM template; `index` is its position among the template's DISK attributes. */
export type PlannedDisk = { index: number } & (
  { kind: "reuse"; app: ReusedApp } | { kind: "publish"; image: SourceImage }
);

export interface PlannedVm {
  id: number;
  name: string;
  description: string;
  template: Template;
  disks: PlannedDisk[];
}

export type PlannedRole = { name: string } & ({ kind: "reuse"; app: ReusedApp } | { kind: "publish"; vm: PlannedVm });

export interface PlannedService {
  id: number;
  name: string;
  body: ServiceTemplateBody;
  roles: PlannedRole[];
}

/** What a composite publish reads: a VM template or a service template, with the user's choices. */
export type CompositeSource = { kind: "vm"; vm: PlannedVm } | { kind: "service"; service: PlannedService };

/** A part of a new app: an app reused as it is, or one this publish creates before it. */
export type Part = { kind: "reused"; app: ReusedApp } | { kind: "created"; app: ImageApp | VmApp };

export interface ImageApp {
  kind: "image";
  name: string;
  image: SourceImage;
}

export interface VmApp {
  kind: "vm";
  name: string;
  description: string;
  vm: PlannedVm;
  disks: { index: number; part: Part }[];
}

export interface ServiceApp {
  kind: "service";
  name: string;
  description: string;
  service: PlannedService;
  roles: { role: string; part: Part }[];
}

export interface CompositeLayout {
  /** the reused apps, which the publish locks against a delete that would claim them meanwhile */
  reused: ReusedApp[];
  /** the parts to create, each before the app that uses it */
  parts: (ImageApp | VmApp)[];
  root: VmApp | ServiceApp;
}

/** Answers a name no app of the marketplace has yet, built from `base`. */
export type NameChooser = (base: string) => Promise<string>;

/** The VM templates whose disks are published: the template itself, or each new role's. */
function publishedVms(source: CompositeSource): PlannedVm[] {
  if (source.kind === "vm") return [source.vm];
  return source.service.roles.flatMap((r) => (r.kind === "publish" ? [r.vm] : []));
}

/** The images a publish uploads, each once however many disks use it, in the order of the disks. */
export function publishedImages(source: CompositeSource): SourceImage[] {
  const images = new Map<number, SourceImage>();
  for (const vm of publishedVms(source))
    for (const disk of vm.disks) if (disk.kind === "publish") images.set(disk.image.id, disk.image);
  return [...images.values()];
}

/** The apps the user picked for disks and roles, in the order the publish meets them. */
export function reusedApps(source: CompositeSource): ReusedApp[] {
  const ofVm = (vm: PlannedVm) => vm.disks.flatMap((d) => (d.kind === "reuse" ? [d.app] : []));
  if (source.kind === "vm") return ofVm(source.vm);
  return source.service.roles.flatMap((r) => (r.kind === "reuse" ? [r.app] : ofVm(r.vm)));
}

/** The layout being built: the parts so far, and the IMAGE app of each image already laid out. */
interface Draft {
  choose: NameChooser;
  parts: (ImageApp | VmApp)[];
  imageApps: Map<number, ImageApp>;
}

/**
 * The apps a composite publish creates, as plain data. The root gets `root.name`; a new role's
 * VMTEMPLATE app "<name>-<role>"; an image's IMAGE app "<VM app>-<image>" after the first VM
 * app that uses it (an image that several disks use is published once). Derived names come
 * from `choose`, in the order the apps are laid out.
 */
export async function layoutComposite(
  source: CompositeSource,
  root: { name: string; description: string },
  choose: NameChooser,
): Promise<CompositeLayout> {
  const draft: Draft = { choose, parts: [], imageApps: new Map() };
  const top =
    source.kind === "vm"
      ? await layoutVm(draft, source.vm, root.name, root.description || source.vm.description)
      : await layoutService(draft, source.service, root.name, root.description);
  return { reused: reusedApps(source), parts: draft.parts, root: top };
}

async function layoutVm(draft: Draft, vm: PlannedVm, name: string, description: string): Promise<VmApp> {
  const disks: VmApp["disks"] = [];
  for (const disk of vm.disks) disks.push({ index: disk.index, part: await diskPart(draft, disk, name) });
  return { kind: "vm", name, description, vm, disks };
}

async function diskPart(draft: Draft, disk: PlannedDisk, vmName: string): Promise<Part> {
  if (disk.kind === "reuse") return { kind: "reused", app: disk.app };
  const known = draft.imageApps.get(disk.image.id);
  if (known) return { kind: "created", app: known };
  const app: ImageApp = { kind: "image", name: await draft.choose(`${vmName}-${disk.image.name}`), image: disk.image };
  draft.imageApps.set(disk.image.id, app);
  draft.parts.push(app);
  return { kind: "created", app };
}

async function layoutService(
  draft: Draft,
  service: PlannedService,
  name: string,
  description: string,
): Promise<ServiceApp> {
  const roles: ServiceApp["roles"] = [];
  for (const role of service.roles) roles.push({ role: role.name, part: await rolePart(draft, role, name) });
  return { kind: "service", name, description: description || service.body.description || "", service, roles };
}

async function rolePart(draft: Draft, role: PlannedRole, serviceName: string): Promise<Part> {
  if (role.kind === "reuse") return { kind: "reused", app: role.app };
  const name = await draft.choose(`${serviceName}-${role.name}`);
  const app = await layoutVm(draft, role.vm, name, role.vm.description);
  draft.parts.push(app);
  return { kind: "created", app };
}

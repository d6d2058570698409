import { z } from "zod";
import { schemaValidate } from "@/components/ui/schema-validate";
import { publishAppBody } from "@/lib/apps/app-schemas";
import type { PublishAppInput } from "./api";
import { appFormValues, appMetadataBody, type AppFormValues } from "./app-form";

/** What can be published: an image, a VM template (with its disk images) or a service template. */
export type PublishSource =
  { kind: "image"; id: number } | { kind: "vmTemplate"; id: number } | { kind: "serviceTemplate"; id: number };

export const SOURCE_LABELS: Record<PublishSource["kind"], string> = {
  image: "image",
  vmTemplate: "VM template",
  serviceTemplate: "service template",
};

/** A VM template disk that has an image; the publish body has one entry per such disk, in order. */
export interface DiskSlot {
  /** "DISK 0", as the app's tree names it */
  slot: string;
  imageId: number;
  /** the image's name, or "image #12" for one the user may not see */
  imageName: string;
  /** why its image cannot be published (it is gone, or the user may not use it): only an app can be reused */
  problem: string | null;
}

export interface RoleSlot {
  name: string;
  /** by id alone when the user may not see it */
  vmTemplate: { id: number; name: string } | { id: number } | null;
  disks: DiskSlot[];
  /** why its VM template cannot be published (none, hidden, or unreadable): only an app can be reused */
  problem: string | null;
}

/** The source as the publish dialog reads it. */
export type PublishPlan = { id: number; name: string; description: string } & (
  | { kind: "image"; format: string; sizeBytes: number }
  | { kind: "vmTemplate"; disks: DiskSlot[] }
  | { kind: "serviceTemplate"; roles: RoleSlot[] }
);

export type ChoiceMode = "publish" | "reuse";
/** `appId` is the chosen app to reuse (a Select's string value), null until one is chosen. */
export interface DiskChoice {
  mode: ChoiceMode;
  appId: string | null;
}
export interface RoleChoice extends DiskChoice {
  disks: DiskChoice[];
}

/** Field paths match the API's invalid_params names (`disks.1.appId`, `roles.0.disks.2.appId`). */
export interface PublishFormValues extends AppFormValues {
  disks: DiskChoice[];
  roles: RoleChoice[];
}

const publishDisks = (disks: DiskSlot[]): DiskChoice[] =>
  disks.map((d) => ({ mode: d.problem ? "reuse" : "publish", appId: null }));

/** Publish every part by default; a part that cannot be published (its source is gone) starts as a reuse. */
export function initialPublishValues(plan: PublishPlan, defaultName?: string): PublishFormValues {
  return {
    ...appFormValues({ name: defaultName ?? plan.name, description: plan.description }),
    disks: plan.kind === "vmTemplate" ? publishDisks(plan.disks) : [],
    roles:
      plan.kind === "serviceTemplate"
        ? plan.roles.map((r) => ({ mode: r.problem ? "reuse" : "publish", appId: null, disks: publishDisks(r.disks) }))
        : [],
  };
}

/** Apps chosen for reuse belong to one marketplace: another marketplace starts the choices over. */
export function withoutChosenApps(values: Pick<PublishFormValues, "disks" | "roles">) {
  const clear = (d: DiskChoice): DiskChoice => ({ ...d, appId: null });
  return {
    disks: values.disks.map(clear),
    roles: values.roles.map((r) => ({ ...clear(r), disks: r.disks.map(clear) })),
  };
}

const REUSE_MISSING = "Choose an app to reuse";

/**
 * The errors the dialog can tell before asking the server, keyed by field path: the API's rules
 * for the body the form sends, and the choices this plan leaves open.
 */
export function publishErrors(plan: PublishPlan, v: PublishFormValues): Record<string, string> {
  const body = z.preprocess((values) => publishBody(plan, values as PublishFormValues), publishAppBody);
  const errors = schemaValidate(body)(v) as Record<string, string>;
  const checkDisks = (slots: DiskSlot[], disks: DiskChoice[], prefix: string) =>
    disks.forEach((d, i) => {
      if (d.mode === "reuse" && !d.appId) errors[`${prefix}${i}.appId`] = REUSE_MISSING;
      const problem = slots[i]?.problem;
      if (d.mode === "publish" && problem) errors[`${prefix}${i}`] = problem;
    });
  if (plan.kind === "vmTemplate") checkDisks(plan.disks, v.disks, "disks.");
  if (plan.kind === "serviceTemplate")
    v.roles.forEach((r, i) => {
      if (r.mode === "reuse" && !r.appId) errors[`roles.${i}.appId`] = REUSE_MISSING;
      if (r.mode === "publish") {
        if (plan.roles[i]?.problem) errors[`roles.${i}`] = plan.roles[i].problem;
        else checkDisks(plan.roles[i]?.disks ?? [], r.disks, `roles.${i}.disks.`);
      }
    });
  return errors;
}

const diskBody = (disks: DiskChoice[]) =>
  disks.map((d) => ({ appId: d.mode === "reuse" && d.appId ? Number(d.appId) : null }));

/** The POST /apps body: the source's id, the metadata, and one reuse-or-publish choice per part. */
export function publishBody(plan: PublishPlan, v: PublishFormValues): PublishAppInput {
  const { vmTemplate, ...metadata } = appMetadataBody(v);
  const marketplaceId = Number(v.marketplaceId);
  switch (plan.kind) {
    case "image":
      return { marketplaceId, imageId: plan.id, ...metadata, vmTemplate };
    case "vmTemplate":
      return { marketplaceId, vmTemplateId: plan.id, ...metadata, disks: diskBody(v.disks) };
    case "serviceTemplate":
      return {
        marketplaceId,
        serviceTemplateId: plan.id,
        ...metadata,
        roles: v.roles.map((r) =>
          r.mode === "reuse" && r.appId ? { appId: Number(r.appId) } : { appId: null, disks: diskBody(r.disks) },
        ),
      };
  }
}

export interface PublishCounts {
  newImages: number;
  reusedImages: number;
  newVmTemplates: number;
  reusedVmTemplates: number;
}

/** How many child apps the publish will create and reuse (a reused VM template app brings its own disks). */
export function publishCounts(plan: PublishPlan, v: PublishFormValues): PublishCounts {
  const counts: PublishCounts = { newImages: 0, reusedImages: 0, newVmTemplates: 0, reusedVmTemplates: 0 };
  const addDisks = (disks: DiskChoice[]) =>
    disks.forEach((d) => (d.mode === "reuse" ? counts.reusedImages++ : counts.newImages++));
  if (plan.kind === "vmTemplate") addDisks(v.disks);
  if (plan.kind === "serviceTemplate")
    v.roles.forEach((r) => {
      if (r.mode === "reuse") counts.reusedVmTemplates++;
      else {
        counts.newVmTemplates++;
        addDisks(r.disks);
      }
    });
  return counts;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** "2 new image apps, 1 reused" — the child apps in words, or "" for an image. */
export function countsText(c: PublishCounts): string {
  const part = (created: number, reused: number, what: string) =>
    created || reused
      ? `${plural(created, `new ${what} app`)}${reused ? `, ${plural(reused, "reused", "reused")}` : ""}`
      : "";
  return [part(c.newVmTemplates, c.reusedVmTemplates, "VM template"), part(c.newImages, c.reusedImages, "image")]
    .filter(Boolean)
    .join("; ");
}

/** The error to show on a group (a disk, a role, the whole list) when no field inside it holds one. */
export function groupError(errors: Record<string, unknown>, path: string): string | undefined {
  const own = errors[path];
  if (typeof own !== "string") return undefined;
  const inner = Object.keys(errors).some((k) => k.startsWith(`${path}.`));
  return inner ? undefined : own;
}

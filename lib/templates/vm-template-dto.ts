import type { Prisma } from "@/lib/db/client";
import type { DbLike } from "@/lib/auth/context";
import { refTo, rightsSelect, type HiddenRef } from "@/lib/permissions/references";
import type { Subject } from "@/lib/permissions/rights";
import { ownershipInclude, toOwnershipDto } from "@/lib/permissions/shared-dto";
import { getFirst, parseTemplate, serializeTemplate, type Template } from "./template-text";
import { templateDisks } from "./vm-template-spec";

export const vmTemplateInclude = {
  ...ownershipInclude,
  zone: { select: { id: true, name: true } },
} satisfies Prisma.VmTemplateInclude;

export type VmTemplateRow = Prisma.VmTemplateGetPayload<{ include: typeof vmTemplateInclude }>;

type DiskImage = { id: number; name: string; state: string } | HiddenRef;

/** Stored text is checked on save; a row written some other way still shows, as best it can. */
function parsed(text: string): Template {
  try {
    return parseTemplate(text);
  } catch {
    return [];
  }
}

/**
 * The images the disks of these templates use, in one query for a whole page, as the viewer
 * may see them: an image they may not use shows its id alone.
 */
export async function diskImages(
  db: DbLike,
  rows: { template: string }[],
  viewer: Subject,
): Promise<Map<number, DiskImage>> {
  const ids = [...new Set(rows.flatMap((r) => templateDisks(parsed(r.template)).flatMap((d) => d.imageId ?? [])))];
  if (ids.length === 0) return new Map();
  const images = await db.image.findMany({
    where: { id: { in: ids } },
    select: { id: true, name: true, state: true, ...rightsSelect },
  });
  return new Map(images.map((i) => [i.id, refTo(viewer, i, ({ id, name, state }) => ({ id, name, state }))]));
}

const num = (v: string | undefined, int: boolean): number | null => {
  if (v === undefined || !(int ? /^\d+$/ : /^\d*\.?\d+$/).test(v.trim())) return null;
  return Number(v);
};

/** "NAME = …" first, then the body: what `onetemplate create` reads back. */
export function exportText(name: string, template: string): string {
  return serializeTemplate([{ key: "NAME", value: name }]) + template;
}

export function toVmTemplateDto(row: VmTemplateRow, images: Map<number, DiskImage>) {
  const t = parsed(row.template);
  const os = t.find((a) => a.key === "OS" && typeof a.value !== "string")?.value as Record<string, string> | undefined;
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    template: row.template,
    text: exportText(row.name, row.template),
    cpu: num(getFirst(t, "CPU"), false),
    vcpu: num(getFirst(t, "VCPU"), true),
    memoryMb: num(getFirst(t, "MEMORY"), true),
    arch: os?.ARCH ?? "",
    hypervisor: getFirst(t, "HYPERVISOR") ?? "",
    disks: templateDisks(t).map((d) => ({
      index: d.index,
      imageId: d.imageId,
      image: d.imageId === null ? null : (images.get(d.imageId) ?? null),
      type: d.imageId === null ? (d.attributes.TYPE ?? "") : "",
      devPrefix: d.attributes.DEV_PREFIX ?? "",
      size: d.attributes.SIZE ?? "",
    })),
    nicCount: t.filter((a) => a.key === "NIC").length,
    fromAppId: row.fromAppId,
    zone: row.zone,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    ...toOwnershipDto(row),
  };
}

export async function vmTemplateDtos(db: DbLike, rows: VmTemplateRow[], viewer: Subject) {
  const images = await diskImages(db, rows, viewer);
  return rows.map((r) => toVmTemplateDto(r, images));
}

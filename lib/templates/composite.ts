import type { Template } from "./template-text";

/**
 * How a VM template travels through a marketplace. In a VMTEMPLATE app its disks name their
 * child IMAGE apps by APP_ID (OpenNebula names them by APP, a name, which mixes up same-named
 * apps of different marketplaces); an import turns APP_ID back into the IMAGE_ID of the image
 * it created. Everything else travels unchanged, in order.
 */

/** Attributes that tie a disk to an image of the publishing cloud. */
const IMAGE_REFS = ["IMAGE_ID", "IMAGE", "IMAGE_UNAME", "IMAGE_UID"];
/** Attributes that tie a NIC to a network (or security groups) of the publishing cloud. */
const NETWORK_REFS = ["NETWORK", "NETWORK_ID", "NETWORK_UNAME", "NETWORK_UID", "SECURITY_GROUPS"];

export interface DiskRef {
  /** position among the template's DISK attributes */
  index: number;
  imageId: number;
}

/** The disks that carry an image (volatile disks carry none), by position. */
export function imageDisks(template: Template): DiskRef[] {
  const out: DiskRef[] = [];
  let index = 0;
  for (const attr of template) {
    if (attr.key !== "DISK") continue;
    if (typeof attr.value !== "string" && attr.value.IMAGE_ID !== undefined) {
      const id = Number(attr.value.IMAGE_ID);
      if (Number.isInteger(id) && id >= 0) out.push({ index, imageId: id });
    }
    index++;
  }
  return out;
}

/** The disks that name a child app, by position. */
export function appDisks(template: Template): { index: number; appId: number }[] {
  const out: { index: number; appId: number }[] = [];
  let index = 0;
  for (const attr of template) {
    if (attr.key !== "DISK") continue;
    if (typeof attr.value !== "string" && attr.value.APP_ID !== undefined)
      out.push({ index, appId: Number(attr.value.APP_ID) });
    index++;
  }
  return out;
}

/**
 * The template a VMTEMPLATE app carries: no NAME, each image disk names its child app
 * (`appOfDisk` by disk position), NICs ask for any network of the importing cloud
 * (NETWORK_MODE = "auto"), as OpenNebula's export does.
 */
export function templateForMarket(template: Template, appOfDisk: Map<number, number>): Template {
  let disk = 0;
  return template
    .filter((a) => a.key !== "NAME")
    .map((attr) => {
      if (typeof attr.value === "string") return attr;
      if (attr.key === "DISK") {
        const appId = appOfDisk.get(disk++);
        if (appId === undefined) return attr;
        return { key: attr.key, value: { APP_ID: String(appId), ...without(attr.value, IMAGE_REFS) } };
      }
      if (attr.key === "NIC" || attr.key === "NIC_ALIAS") {
        const rest = without(attr.value, [...NETWORK_REFS, "NETWORK_MODE"]);
        return { key: attr.key, value: { NETWORK_MODE: "auto", ...rest } };
      }
      return attr;
    });
}

/** The template an import creates: each APP_ID disk gets the IMAGE_ID of its new image. */
export function templateFromMarket(template: Template, imageOfApp: Map<number, number>): Template {
  return template.map((attr) => {
    if (attr.key !== "DISK" || typeof attr.value === "string" || attr.value.APP_ID === undefined) return attr;
    const imageId = imageOfApp.get(Number(attr.value.APP_ID));
    if (imageId === undefined) throw new Error(`no image for app ${attr.value.APP_ID}`);
    return { key: attr.key, value: { IMAGE_ID: String(imageId), ...without(attr.value, ["APP_ID"]) } };
  });
}

function without(vector: Record<string, string>, keys: string[]): Record<string, string> {
  return Object.fromEntries(Object.entries(vector).filter(([k]) => !keys.includes(k)));
}

/**
 * The VM template an IMAGE app's import creates from the template it carries: its disks that
 * named images of the publishing cloud are dropped (volatile ones stay), and the new image
 * becomes the first disk.
 */
export function templateForImage(template: Template, imageId: number): Template {
  const namesImage = (a: Template[number]) => {
    const v = a.value;
    return a.key === "DISK" && typeof v !== "string" && IMAGE_REFS.some((k) => k in v);
  };
  const kept = template.filter((a) => a.key !== "NAME" && !namesImage(a));
  const disk = { key: "DISK", value: { IMAGE_ID: String(imageId) } };
  const first = kept.findIndex((a) => a.key === "DISK");
  return first === -1 ? [...kept, disk] : [...kept.slice(0, first), disk, ...kept.slice(first)];
}

import { unpackTags } from "@/lib/apps/app-dto";
import { parseTemplate, type TemplateValue } from "@/lib/templates/template-text";

/** What an app of an exported marketplace is served from (the columns the catalog reads). */
export interface CatalogApp {
  id: number;
  name: string;
  type: string;
  version: string;
  publisher: string;
  description: string;
  shortDescription: string;
  tags: string;
  hypervisor: string;
  architecture: string;
  format: string;
  sizeBytes: bigint;
  md5: string;
  sha256: string;
  imageTemplate: string;
  vmTemplate: string;
  serviceTemplate: string;
  logoUrl: string;
  createdAt: Date;
}

/** A composite app's parts, in order: the disk apps of a VM template, the role apps of a service. */
export interface CatalogPart {
  slot: string;
  name: string;
}

/** One appliance of the OpenNebula public marketplace answer (`GET <ENDPOINT>/appliance`). */
export interface Appliance {
  _id: { $oid: string };
  name: string;
  type: string;
  version: string;
  publisher: string;
  format: string;
  short_description: string;
  description: string;
  tags: string[];
  "os-arch": string;
  hypervisor: string;
  creation_time: number;
  opennebula_template: string;
  files: { name: string; size: number; md5: string; sha256: string; type?: string; dev_prefix?: string }[];
  disks?: string[];
  roles?: Record<string, string>;
  logo: string;
}

/** The catalog's `os-arch` of OpenNebula's ARCH ("" for any host, which the driver reads as "all"). */
const OS_ARCH: Record<string, string> = { x86_64: "x86_64", aarch64: "aarch64" };

/**
 * A VM template as the `opennebula_template` JSON of OpenNebula's marketplace YAML: upper-case
 * keys, vectors as objects, an attribute given twice as a list. The DISKs are left out: a VM
 * template's disks are its `disks` (the catalog's disk apps), which a reader links back in order.
 */
export function templateJson(text: string): string {
  if (!text.trim()) return "";
  const out: Record<string, TemplateValue | TemplateValue[]> = {};
  for (const { key, value } of parseTemplate(text)) {
    if (key === "DISK") continue;
    const had = out[key];
    out[key] = had === undefined ? value : Array.isArray(had) ? [...had, value] : [had, value];
  }
  return JSON.stringify(out);
}

/**
 * A service's OneFlow body as the catalog carries it: each role names its VM template by the
 * `roles` map (role name → app name), so the ids of this portal's apps are taken out.
 */
export function serviceJson(text: string): string {
  if (!text.trim()) return "";
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return "";
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) return "";
  const { roles, ...rest } = body as Record<string, unknown>;
  if (!Array.isArray(roles)) return JSON.stringify(rest);
  const clean = roles.map((r) => {
    if (typeof r !== "object" || r === null) return r;
    const { app_id: _appId, vm_template: _vm, ...role } = r as Record<string, unknown>;
    return role;
  });
  return JSON.stringify({ ...rest, roles: clean });
}

function imageAttributes(app: CatalogApp): { type?: string; dev_prefix?: string } {
  try {
    const t = JSON.parse(app.imageTemplate) as { type?: unknown; devPrefix?: unknown };
    return {
      ...(typeof t.type === "string" && t.type && { type: t.type }),
      ...(typeof t.devPrefix === "string" && t.devPrefix && { dev_prefix: t.devPrefix }),
    };
  } catch {
    return {};
  }
}

/**
 * An app as OpenNebula's `one` market driver reads an appliance (reference §3.4): an IMAGE has
 * its one file (downloaded at `appliance/<id>/download/0`), a VMTEMPLATE names its disk apps in
 * `disks`, a SERVICE_TEMPLATE its role apps in `roles`; those parts are appliances of the same
 * answer.
 */
export function toAppliance(app: CatalogApp, parts: CatalogPart[] = []): Appliance {
  const image = app.type === "IMAGE";
  const appliance: Appliance = {
    _id: { $oid: String(app.id) },
    name: app.name,
    type: app.type,
    version: app.version,
    publisher: app.publisher,
    format: image ? app.format : "",
    short_description: app.shortDescription,
    description: app.description,
    tags: unpackTags(app.tags),
    "os-arch": OS_ARCH[app.architecture] ?? "",
    hypervisor: app.hypervisor,
    creation_time: Math.floor(app.createdAt.getTime() / 1000),
    opennebula_template:
      app.type === "SERVICE_TEMPLATE" ? serviceJson(app.serviceTemplate) : templateJson(app.vmTemplate),
    files: image
      ? [
          {
            name: `${app.name}.${app.format || "img"}`,
            size: Number(app.sizeBytes),
            md5: app.md5,
            sha256: app.sha256,
            ...imageAttributes(app),
          },
        ]
      : [],
    logo: app.logoUrl,
  };
  if (app.type === "VMTEMPLATE") appliance.disks = parts.map((p) => p.name);
  if (app.type === "SERVICE_TEMPLATE") appliance.roles = Object.fromEntries(parts.map((p) => [p.slot, p.name]));
  return appliance;
}

import { z } from "zod";
import { AppError } from "@/lib/errors";
import { parseTemplate, serializeTemplate, type Template, type TemplateValue } from "@/lib/templates/template-text";
import type { CatalogEntry, CatalogParse } from "./catalog-entry";
import { endpointPrefix } from "./endpoint";

/**
 * The OpenNebula Systems public marketplace (`GET <ENDPOINT>/appliance`), read as OpenNebula's
 * own `one` market driver reads it (src/market_mad/remotes/one/monitor): the same download
 * SOURCE, the same architecture and hypervisor names, the same VM template built from the
 * `opennebula_template` JSON. Pure: the caller fetches, this only reads.
 *
 * Where OpenNebula is lenient and Bazaar must not be, an appliance is skipped with the reason
 * instead of being half-imported: a download without a size, a checksum that cannot be
 * verified, a template that cannot be written back as OpenNebula template text.
 */

const MAX_NAME = 128;
const IMAGE_TYPES = ["OS", "CDROM", "DATABLOCK", "KERNEL", "RAMDISK", "CONTEXT"];
const APP_TYPES = ["IMAGE", "VMTEMPLATE", "SERVICE_TEMPLATE"] as const;
/** The catalog's `os-arch` → OpenNebula's ARCH; "all" (and none) means any host. */
const ARCHITECTURES: Record<string, string> = {
  amd64: "x86_64",
  x86_64: "x86_64",
  arm64: "aarch64",
  aarch64: "aarch64",
  all: "",
  "": "",
};
/** What OpenNebula's driver adds to the VM template of an aarch64 app (KVM boots arm64 with UEFI). */
const AARCH64_OS = {
  ARCH: "aarch64",
  FIRMWARE: "/usr/share/AAVMF/AAVMF_CODE.fd",
  FIRMWARE_SECURE: "no",
  MACHINE: "virt",
};
/** Catalog ids are Mongo ObjectIds or UUIDs; anything else could not sit in a URL path unescaped. */
const UPSTREAM_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
const HYPERVISOR = /^[a-z][a-z0-9_-]{0,31}$/;
const DEV_PREFIX = /^[a-z]{1,8}$/;

const count = z.union([z.number(), z.string()]);
const FileSchema = z.looseObject({
  size: count.nullish(),
  md5: z.string().nullish(),
  sha256: z.string().nullish(),
  // the YAML form (appmarket-simple `images[].checksum`); the answer also copies md5 up
  checksum: z.looseObject({ md5: z.string().nullish(), sha256: z.string().nullish() }).nullish(),
  type: z.string().nullish(),
  dev_prefix: z.string().nullish(),
});
const ApplianceSchema = z.looseObject({
  _id: z.looseObject({ $oid: z.string() }).nullish(),
  id: z.string().nullish(),
  name: z.string().nullish(),
  type: z.string().nullish(),
  version: z.union([z.string(), z.number()]).nullish(),
  publisher: z.string().nullish(),
  short_description: z.string().nullish(),
  description: z.string().nullish(),
  tags: z.unknown().optional(),
  format: z.string().nullish(),
  creation_time: count.nullish(),
  "os-arch": z.string().nullish(),
  os_arch: z.string().nullish(),
  hypervisor: z.string().nullish(),
  logo: z.string().nullish(),
  opennebula_template: z.union([z.string(), z.record(z.string(), z.unknown())]).nullish(),
  files: z.array(FileSchema).nullish(),
  disks: z.array(z.unknown()).nullish(),
  roles: z.record(z.string(), z.unknown()).nullish(),
});
type Appliance = z.infer<typeof ApplianceSchema>;

/** Why one appliance is left out; never escapes parseOneCatalog. */
class Skip extends Error {}
function skip(reason: string): never {
  throw new Skip(reason);
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** C0/C1 controls and bidi overrides, which would garble or disguise a name on screen. */
const INVISIBLE = /[\p{Cc}\u202A-\u202E\u2066-\u2069]/gu;

/** One line of text: controls removed, blanks collapsed, trimmed, cut at `max` characters. */
function line(text: string | null | undefined, max = Infinity): string {
  const flat = (text ?? "")
    .replace(/[\t\n\v\f\r]/g, " ")
    .replace(INVISIBLE, "")
    .replace(/\s+/g, " ")
    .trim();
  const chars = Array.from(flat); // by code point, so that a cut never splits a surrogate pair
  return chars.length > max ? chars.slice(0, max).join("").trimEnd() : flat;
}

/** Markdown text: line breaks and tabs kept, other controls removed. */
function paragraphs(text: string | null | undefined): string {
  return (text ?? "")
    .replace(/\r\n?/g, "\n")
    .replace(/[^\P{Cc}\t\n]|[\u202A-\u202E\u2066-\u2069]/gu, "")
    .trim();
}

/** A whole, non-negative number from a number or a string of digits; null otherwise. */
function wholeNumber(v: number | string): number | null {
  const n = typeof v === "number" ? v : /^\s*\d+\s*$/.test(v) ? Number(v) : NaN;
  return Number.isSafeInteger(n) && n >= 0 ? n : null;
}

/** `creation_time` is unix seconds, as a number or a string of digits. */
function dateOf(v: number | string | null | undefined): Date | null {
  if (v === null || v === undefined) return null;
  const seconds = typeof v === "number" ? v : /^\s*\d+\s*$/.test(v) ? Number(v) : NaN;
  if (!Number.isFinite(seconds) || seconds < 0) return null;
  const date = new Date(seconds * 1000);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** Strings only (a YAML-style "a, b" string is split as appmarket-simple does), once each. */
function tagsOf(v: unknown): string[] {
  const raw = typeof v === "string" ? v.split(",") : Array.isArray(v) ? v : [];
  const tags = raw.filter((t): t is string => typeof t === "string").map((t) => line(t, MAX_NAME));
  return [...new Set(tags.filter(Boolean))];
}

/** An http(s) URL; a relative one (the catalog's "/logos/…") is resolved against the endpoint. */
function logoOf(v: string | null | undefined, base: string): string {
  const text = v?.trim();
  if (!text) return "";
  try {
    const url = new URL(text, `${base}/`);
    return (url.protocol === "https:" || url.protocol === "http:") && url.href.length <= 2048 ? url.href : "";
  } catch {
    return "";
  }
}

/**
 * A checksum as lower-case hex, "" when the catalog gives none. A present but malformed one
 * skips the image: keeping it with an empty checksum would import bytes nobody can verify,
 * while the catalog meant them to be verified.
 */
function checksum(v: string | null | undefined, algorithm: "md5" | "sha256"): string {
  const text = v?.trim() ?? "";
  if (text === "") return "";
  const digits = algorithm === "md5" ? 32 : 64;
  if (!new RegExp(`^[0-9a-f]{${digits}}$`, "i").test(text)) {
    skip(`${algorithm} ${JSON.stringify(text)} is not ${digits} hex digits`);
  }
  return text.toLowerCase();
}

/** A template value as OpenNebula's driver writes it; null for what it leaves out. */
function scalar(v: unknown): string | null {
  if (typeof v === "string") return v === "" ? null : v;
  // OpenNebula's driver fails on numbers (the app then has no template); text is what they mean
  if ((typeof v === "number" && Number.isFinite(v)) || typeof v === "boolean") return String(v);
  return null;
}

function templateValue(v: unknown): TemplateValue | null {
  if (!isRecord(v)) return scalar(v); // lists are left out, as OpenNebula's driver does
  const pairs: Record<string, string> = {};
  for (const [key, sub] of Object.entries(v)) {
    const value = scalar(sub);
    if (value !== null) pairs[key.toUpperCase()] = value;
  }
  return Object.keys(pairs).length > 0 ? pairs : null;
}

/** `opennebula_template` as a JSON object: a string to parse (the catalog's form) or an object. */
function templateSource(app: Appliance): Record<string, unknown> | null {
  const source = app.opennebula_template;
  if (source === null || source === undefined || (typeof source === "string" && source.trim() === "")) return null;
  if (typeof source !== "string") return source;
  let parsed: unknown;
  try {
    parsed = JSON.parse(source);
  } catch (err) {
    return skip(`opennebula_template is not valid JSON (${(err as Error).message})`);
  }
  return isRecord(parsed) ? parsed : skip("opennebula_template is not a JSON object");
}

/**
 * The VM template text: the JSON's attributes with upper-cased names (empty values and lists
 * left out), then what OpenNebula's driver appends: SCHED_REQUIREMENTS on the hypervisor (and
 * the architecture when known), HYPERVISOR, and for aarch64 the OS boot attributes. What the
 * publisher set already is kept; only what is missing is added.
 */
function vmTemplateOf(source: Record<string, unknown>, hypervisor: string, architecture: string): string {
  const template: Template = [];
  for (const [key, value] of Object.entries(source)) {
    const v = templateValue(value);
    if (v !== null) template.push({ key: key.toUpperCase(), value: v });
  }
  const has = (key: string) => template.some((a) => a.key === key);
  if (!has("SCHED_REQUIREMENTS")) {
    // values quoted: OpenNebula's requirement expressions read a bare word as an attribute name
    const arch = architecture ? ` & ARCH="${architecture}"` : "";
    template.push({ key: "SCHED_REQUIREMENTS", value: `HYPERVISOR="${hypervisor}"${arch}` });
  }
  if (!has("HYPERVISOR")) template.push({ key: "HYPERVISOR", value: hypervisor });
  if (architecture === "aarch64") {
    const os = template.find((a) => a.key === "OS" && typeof a.value !== "string");
    if (os) os.value = { ...AARCH64_OS, ...(os.value as Record<string, string>) };
    else template.push({ key: "OS", value: { ...AARCH64_OS } });
  }
  try {
    const text = serializeTemplate(template);
    parseTemplate(text); // what Bazaar stores must read back: size, attribute count, syntax
    return text;
  } catch (err) {
    if (err instanceof AppError) return skip(`opennebula_template: ${err.message}`);
    throw err;
  }
}

function fileOf(app: Appliance, upstreamId: string, base: string): NonNullable<CatalogEntry["file"]> {
  const file = app.files?.[0];
  if (!file || file.size === null || file.size === undefined) return skip("has no file to download");
  const size = wholeNumber(file.size);
  if (size === null) return skip(`file size ${JSON.stringify(file.size)} is not a whole number of bytes`);
  if (size === 0) return skip("has no file to download");
  return {
    // OpenNebula's SOURCE: the catalog answers it with a redirect to wherever the file lives
    url: `${base}/appliance/${upstreamId}/download/0`,
    size,
    md5: checksum(file.md5 || file.checksum?.md5, "md5"),
    sha256: checksum(file.sha256 || file.checksum?.sha256, "sha256"),
  };
}

function imageTemplateOf(app: Appliance): CatalogEntry["imageTemplate"] {
  const file = app.files?.[0];
  const type = (file?.type?.trim() || "OS").toUpperCase();
  if (!IMAGE_TYPES.includes(type)) skip(`image type ${JSON.stringify(type)} is not one of ${IMAGE_TYPES.join(", ")}`);
  const devPrefix = file?.dev_prefix?.trim().toLowerCase();
  if (!devPrefix) return { type };
  if (!DEV_PREFIX.test(devPrefix)) skip(`dev_prefix ${JSON.stringify(devPrefix)} is not a device prefix`);
  return { type, devPrefix };
}

/**
 * A composite app's parts, each naming another app of the catalog: its disks in order (slots
 * DISK_0, DISK_1…), or its roles by role name. Names that are not text or are blank are left out.
 */
function partsOf(app: Appliance, type: CatalogEntry["type"]): CatalogEntry["parts"] {
  // cleaned exactly as app names are, so that they still match the apps they name
  const name = (v: unknown) => (typeof v === "string" ? line(v, MAX_NAME) : "");
  if (type === "VMTEMPLATE") {
    const disks = (app.disks ?? []).map(name).filter(Boolean);
    return disks.map((disk, i) => ({ slot: `DISK_${i}`, name: disk }));
  }
  if (type === "SERVICE_TEMPLATE") {
    const roles = Object.entries(app.roles ?? {}).map(([role, target]) => ({ slot: line(role), name: name(target) }));
    return roles.filter((r) => r.slot !== "" && r.name !== "");
  }
  return [];
}

function entryOf(app: Appliance, base: string): CatalogEntry {
  const upstreamId = (app._id?.$oid ?? app.id ?? "").trim();
  if (!upstreamId) skip("has no id");
  if (!UPSTREAM_ID.test(upstreamId)) skip(`id ${JSON.stringify(upstreamId)} cannot name a download URL`);
  const name = line(app.name, MAX_NAME);
  if (!name) skip("has no name");

  const typeText = (app.type?.trim() || "IMAGE").toUpperCase(); // OpenNebula: IMAGE unless told
  const type = APP_TYPES.find((t) => t === typeText) ?? skip(`type ${JSON.stringify(typeText)} is not known`);

  const archText = line(app["os-arch"] ?? app.os_arch).toLowerCase();
  const architecture = ARCHITECTURES[archText];
  if (architecture === undefined) skip(`architecture ${JSON.stringify(archText)} is not x86_64 or aarch64`);
  const hyperText = line(app.hypervisor).toLowerCase();
  const hypervisor = hyperText === "" || hyperText === "all" ? "kvm" : hyperText;
  if (!HYPERVISOR.test(hypervisor)) skip(`hypervisor ${JSON.stringify(hypervisor)} is not a hypervisor name`);

  const image = type === "IMAGE";
  const file = image ? fileOf(app, upstreamId, base) : null;
  const imageTemplate = image ? imageTemplateOf(app) : { type: "" };
  const source = templateSource(app);
  const description = paragraphs(app.description);

  return {
    upstreamId,
    version: line(typeof app.version === "number" ? String(app.version) : app.version, MAX_NAME) || "0.0",
    name,
    type,
    publisher: line(app.publisher, MAX_NAME),
    shortDescription: line(app.short_description) || line(description.split("\n").find((l) => l.trim())),
    description,
    tags: tagsOf(app.tags),
    architecture,
    hypervisor,
    format: image ? line(app.format).toLowerCase() : "",
    createdAt: dateOf(app.creation_time),
    logoUrl: logoOf(app.logo, base),
    file,
    imageTemplate,
    vmTemplate: source && type !== "SERVICE_TEMPLATE" ? vmTemplateOf(source, hypervisor, architecture) : "",
    // OneFlow JSON travels as the catalog wrote it, as OpenNebula's driver passes it on
    serviceTemplate:
      source && type === "SERVICE_TEMPLATE"
        ? typeof app.opennebula_template === "string"
          ? app.opennebula_template
          : JSON.stringify(source)
        : "",
    parts: partsOf(app, type),
  };
}

function issuesText(error: z.ZodError): string {
  return error.issues.map((i) => (i.path.length ? `${i.path.join(".")}: ${i.message}` : i.message)).join("; ");
}

/**
 * The appliances of an OpenNebula public marketplace answer (`{"appliances": [...]}`). One
 * malformed appliance is skipped with the reason and the others are kept; a listing twice of
 * the same id and version keeps the first. Throws only when the answer is not such a list.
 */
export function parseOneCatalog(body: unknown, opts: { endpoint: string }): CatalogParse {
  const base = endpointPrefix(opts.endpoint);
  if (Array.isArray(body)) throw new AppError("BACKEND_FAILED", "the answer is a list, not an appliances list");
  if (!isRecord(body)) throw new AppError("BACKEND_FAILED", "the answer is not a JSON object");
  if (!("appliances" in body)) throw new AppError("BACKEND_FAILED", "the answer has no appliances list");
  if (!Array.isArray(body.appliances)) throw new AppError("BACKEND_FAILED", "the answer's appliances is not a list");

  const result: CatalogParse = { entries: [], skipped: [] };
  const seen = new Set<string>();
  for (const raw of body.appliances) {
    const rec = isRecord(raw) ? raw : {};
    const rawId = isRecord(rec._id) ? rec._id.$oid : rec.id;
    const upstreamId = typeof rawId === "string" ? line(rawId, MAX_NAME) : "";
    const name = typeof rec.name === "string" ? line(rec.name, MAX_NAME) : "";
    const left = (reason: string) => result.skipped.push({ upstreamId, name, reason });

    if (!isRecord(raw)) {
      left("is not an object");
      continue;
    }
    const parsed = ApplianceSchema.safeParse(raw);
    if (!parsed.success) {
      left(`malformed appliance: ${issuesText(parsed.error)}`);
      continue;
    }
    let entry: CatalogEntry;
    try {
      entry = entryOf(parsed.data, base);
    } catch (err) {
      // a bug in reading one appliance must not lose the whole catalog either
      left(err instanceof Skip ? err.message : `could not be read: ${(err as Error).message}`);
      continue;
    }
    const identity = `${entry.upstreamId}\n${entry.version}`;
    if (seen.has(identity)) {
      left(`is listed twice with version ${JSON.stringify(entry.version)}`);
      continue;
    }
    seen.add(identity);
    result.entries.push(entry);
  }
  return result;
}

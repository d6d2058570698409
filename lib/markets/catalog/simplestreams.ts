import { z } from "zod";
import { AppError } from "@/lib/errors";
import { serializeTemplate, type Template } from "@/lib/templates/template-text";
import type { CatalogEntry, CatalogParse } from "./catalog-entry";
import { endpointBase } from "./endpoint";

/**
 * A simplestreams image server (images.linuxcontainers.org and other Incus/LXD servers), read
 * as a catalog of VM disk images. OpenNebula's `linuxcontainers` driver turns container rootfs
 * tarballs into disks on the front-end (mkfs, chroot); Bazaar instead offers the qcow2 disk the
 * server already publishes for virtual machines (`ftype: "disk-kvm.img"`), which downloads and
 * verifies like any other image. Products without one (container-only) are not offered.
 *
 * Two documents: `streams/v1/index.json` names the product list (parseStreamsIndex), and that
 * list (`streams/v1/images.json`) holds the products (parseSimplestreams). Both are pure.
 */

export type SimplestreamsArchitecture = "amd64" | "arm64";

export interface SimplestreamsOptions {
  /** the server's base URL, e.g. https://images.linuxcontainers.org/ */
  endpoint: string;
  architectures: SimplestreamsArchitecture[];
  /** the image variant to offer ("default", "cloud", …); products that name none are "default" */
  variant: string;
}

/** The server's architecture names → OpenNebula's. */
const ARCHITECTURES: Record<SimplestreamsArchitecture, "x86_64" | "aarch64"> = { amd64: "x86_64", arm64: "aarch64" };
/** The item type of a bootable VM disk (qcow2), as Incus and LXD name it. */
const DISK_FTYPE = "disk-kvm.img";
/** A build named like `20241201_07:42` (or a bare `20241201`, as some servers do). */
const VERSION_DATE = /^(\d{4})(\d{2})(\d{2})(?:_(\d{2}):(\d{2}))?/;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function catalogError(message: string): AppError {
  return new AppError("BACKEND_FAILED", message);
}

// ---------------------------------------------------------------------------------------------
// streams/v1/index.json

const IndexSchema = z.object({
  format: z.string().optional(),
  index: z.record(z.string(), z.unknown()),
});

const IndexEntrySchema = z.object({
  datatype: z.string().optional(),
  path: z.string().optional().catch(undefined),
  // Incus skips a list that names no products; a malformed list of names is only a hint
  products: z.array(z.string()).optional().catch(undefined),
});

/**
 * The path of the image product list that the stream index names (relative to the endpoint).
 * With several `image-downloads` lists, the one keyed "images" wins, else the first by key.
 */
export function parseStreamsIndex(body: unknown): { imagesPath: string } {
  if (!isRecord(body)) throw catalogError("the stream index is not a JSON object");
  if (body.format !== undefined && body.format !== "index:1.0") {
    throw catalogError(`the stream index has format ${JSON.stringify(body.format)}, not "index:1.0"`);
  }
  const parsed = IndexSchema.safeParse(body);
  if (!parsed.success) throw catalogError('the stream index has no "index" object');

  const lists = Object.entries(parsed.data.index)
    .sort(([a], [b]) => (a === "images" ? -1 : b === "images" ? 1 : compare(a, b)))
    .flatMap(([key, raw]) => {
      const entry = IndexEntrySchema.safeParse(raw);
      if (!entry.success || entry.data.datatype !== "image-downloads") return [];
      if (entry.data.products !== undefined && entry.data.products.length === 0) return [];
      return [{ key, path: entry.data.path }];
    });
  if (lists.length === 0) throw catalogError('the stream index lists no "image-downloads" product list');

  const { key, path } = lists[0];
  if (!path?.trim()) throw catalogError(`the stream index entry "${key}" has no "path"`);
  const problem = relativePathProblem(path);
  if (problem) throw catalogError(`the stream index entry "${key}": ${problem}`);
  return { imagesPath: path };
}

// ---------------------------------------------------------------------------------------------
// URLs

/** Why a path from the server cannot be used under the endpoint, or null when it can. */
function relativePathProblem(path: string): string | null {
  const rel = path.replace(/^\/+/, "");
  if (rel === "") return "the path is empty";
  // "?" and "#" would turn the rest into a query or a fragment; dot segments climb out
  const control = [...rel].some((c) => c.charCodeAt(0) < 0x20);
  if (control || /[?#\\]/.test(rel) || rel.split("/").some((s) => /^(\.|%2e){1,2}$/i.test(s))) {
    return `the path ${JSON.stringify(path)} does not stay under the endpoint`;
  }
  return null;
}

/**
 * `<endpoint>/<path>` with exactly one "/" between them, whether or not the endpoint ends with
 * one or the path starts with one. Throws when the path would leave the endpoint.
 */
export function simplestreamsUrl(endpoint: string, path: string): string {
  const base = endpointBase(endpoint);
  const problem = relativePathProblem(path);
  if (problem) throw catalogError(problem);
  // "./" keeps a first segment such as "20241201_07:42" from reading as a URL scheme
  return new URL(`./${path.replace(/^\/+/, "")}`, base).href;
}

// ---------------------------------------------------------------------------------------------
// streams/v1/images.json

const ProductListSchema = z.object({
  format: z.string().optional(),
  datatype: z.string().optional(),
  products: z.record(z.string(), z.unknown()),
});

/** Fields only shown to people: a malformed one is dropped, it does not lose the product. */
const shownText = z.string().optional().catch(undefined);

const ProductSchema = z.object({
  arch: z.string(),
  os: z.string().trim().min(1),
  release: z.string().trim().min(1),
  release_title: shownText,
  aliases: shownText,
  requirements: z
    .record(z.string(), z.union([z.string(), z.number(), z.boolean()]))
    .optional()
    .catch(undefined),
  versions: z.record(z.string(), z.unknown()),
});
type Product = z.infer<typeof ProductSchema>;

const VersionSchema = z.object({ items: z.record(z.string(), z.unknown()) });

/** The disk item; each message completes "the VM disk image of version V …". */
const DiskItemSchema = z.object({
  path: z.string({ error: "has no path" }).trim().min(1, "has no path"),
  sha256: z.string({ error: "has no sha256" }).regex(/^[0-9a-f]{64}$/i, "has a sha256 that is not 64 hex digits"),
  size: z
    .number({ error: "has no size" })
    .int("has a size that is not a whole number of bytes")
    .positive("has a size that is not a positive number of bytes"),
  md5: z
    .string({ error: "has an md5 that is not text" })
    .regex(/^[0-9a-f]{32}$/i, "has an md5 that is not 32 hex digits")
    .optional(),
});

/** Plain code-unit order: version keys are dates, and locale rules must not reorder them. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function issuesText(error: z.ZodError): string {
  return error.issues.map((i) => (i.path.length ? `${i.path.join(".")}: ${i.message}` : i.message)).join("; ");
}

/** The build time a version key names (UTC), or null when it names none. */
export function versionDate(version: string): Date | null {
  const m = VERSION_DATE.exec(version);
  if (!m) return null;
  const [year, month, day, hour, minute] = m.slice(1).map((part) => Number(part ?? 0));
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute));
  const exact =
    date.getUTCFullYear() === year &&
    date.getUTCMonth() === month - 1 &&
    date.getUTCDate() === day &&
    date.getUTCHours() === hour &&
    date.getUTCMinutes() === minute;
  return exact ? date : null;
}

/** The release as people know it: "24.04 LTS noble", "bookworm", "3.20". */
function releaseLabel(p: Product): string {
  const title = p.release_title?.trim() || p.release;
  const words = title.toLowerCase().split(/\s+/);
  return words.includes(p.release.toLowerCase()) ? title : `${title} ${p.release}`;
}

/**
 * "<os> <release title> [<release>] [<variant>] (<arch>)", e.g. "Ubuntu 24.04 LTS noble (x86_64)"
 * or "Debian bookworm cloud (aarch64)": the codename is added when the title lacks it, the variant
 * when it is not "default", and the architecture always, so that amd64 and arm64 builds of a
 * release can be told apart (OpenNebula marks only the arm ones).
 */
function productName(p: Product, variant: string, architecture: string): string {
  const parts = [p.os.trim(), releaseLabel(p)];
  if (variant !== "default") parts.push(variant);
  return `${parts.join(" ")} (${architecture})`;
}

/**
 * The VM template for a KVM VM booting the imported disk (the import adds the DISK). The sizes are
 * OpenNebula's linuxcontainers defaults. The disks are built for UEFI (Incus boots every VM with
 * it), hence FIRMWARE; SCHED_REQUIREMENTS keeps the VM on KVM hosts of the disk's architecture,
 * as OpenNebula's own marketplace driver does. CONTEXT serves the "cloud" variants, whose
 * cloud-init reads OpenNebula's context.
 */
function vmTemplate(architecture: "x86_64" | "aarch64"): string {
  const os: Record<string, string> = { ARCH: architecture, FIRMWARE: "UEFI" };
  if (architecture === "aarch64") os.MACHINE = "virt";
  const template: Template = [
    { key: "CPU", value: "1" },
    { key: "VCPU", value: "2" },
    { key: "MEMORY", value: "768" },
    { key: "OS", value: os },
    { key: "SCHED_REQUIREMENTS", value: `HYPERVISOR="kvm" & ARCH="${architecture}"` },
    { key: "GRAPHICS", value: { LISTEN: "0.0.0.0", TYPE: "VNC" } },
    { key: "CONTEXT", value: { NETWORK: "YES", SSH_PUBLIC_KEY: "$USER[SSH_PUBLIC_KEY]", SET_HOSTNAME: "$NAME" } },
  ];
  return serializeTemplate(template);
}

/** Whether a product is one of the architectures and the variant asked for (before validation). */
function wanted(raw: unknown, opts: SimplestreamsOptions): boolean {
  if (!isRecord(raw)) return true; // not a product at all: reported, not hidden
  const { arch, variant } = raw;
  if (typeof arch === "string" && !opts.architectures.some((a) => a === arch)) return false;
  return (typeof variant === "string" ? variant : "default") === opts.variant;
}

/** The newest version (by key) that has a VM disk item, with that item. */
function newestDisk(p: Product): { version: string; item: Record<string, unknown> } | null {
  for (const version of Object.keys(p.versions).sort((a, b) => compare(b, a))) {
    const parsed = VersionSchema.safeParse(p.versions[version]);
    if (!parsed.success) continue;
    for (const [key, item] of Object.entries(parsed.data.items)) {
      if (isRecord(item) && (typeof item.ftype === "string" ? item.ftype : key) === DISK_FTYPE) {
        return { version, item };
      }
    }
  }
  return null;
}

/**
 * The VM disk images of a simplestreams product list (`images.json`), one entry per product of
 * the asked architectures and variant: its newest version that has a `disk-kvm.img` item.
 * Other architectures and variants are left out silently; products of the asked kind that
 * cannot be offered (no VM disk, a disk without sha256 or size, a malformed product) are in
 * `skipped` with the reason. Throws when the body is not a product list at all.
 */
export function parseSimplestreams(body: unknown, opts: SimplestreamsOptions): CatalogParse {
  const base = endpointBase(opts.endpoint);
  if (!isRecord(body)) throw catalogError("the product list is not a JSON object");
  if (body.format !== undefined && body.format !== "products:1.0") {
    throw catalogError(`the product list has format ${JSON.stringify(body.format)}, not "products:1.0"`);
  }
  if (body.datatype !== undefined && body.datatype !== "image-downloads") {
    throw catalogError(`the product list has datatype ${JSON.stringify(body.datatype)}, not "image-downloads"`);
  }
  const list = ProductListSchema.safeParse(body);
  if (!list.success) throw catalogError('the product list has no "products" object');

  const result: CatalogParse = { entries: [], skipped: [] };
  const names = new Set<string>();
  for (const upstreamId of Object.keys(list.data.products).sort(compare)) {
    const raw = list.data.products[upstreamId];
    if (!wanted(raw, opts)) continue;
    const parsed = ProductSchema.safeParse(raw);
    if (!parsed.success) {
      result.skipped.push({ upstreamId, name: upstreamId, reason: `malformed product: ${issuesText(parsed.error)}` });
      continue;
    }
    const product = parsed.data;
    const architecture = ARCHITECTURES[product.arch as SimplestreamsArchitecture];
    let name = productName(product, opts.variant, architecture);
    const skip = (reason: string) => result.skipped.push({ upstreamId, name, reason });

    const found = newestDisk(product);
    if (!found) {
      skip("has no VM disk image");
      continue;
    }
    const disk = DiskItemSchema.safeParse(found.item);
    if (!disk.success) {
      skip(`the VM disk image of version ${found.version} ${disk.error.issues.map((i) => i.message).join(", ")}`);
      continue;
    }
    let url: string;
    try {
      url = simplestreamsUrl(base.href, disk.data.path);
    } catch (err) {
      skip(`the VM disk image of version ${found.version}: ${(err as Error).message}`);
      continue;
    }

    // two products that read alike (a mirror listing a release twice) still get distinct names
    if (names.has(name)) name = `${name} [${upstreamId}]`;
    names.add(name);
    const label = releaseLabel(product);
    const requirements = Object.entries(product.requirements ?? {}).map(([k, v]) => `${k}=${String(v)}`);
    result.entries.push({
      upstreamId,
      version: found.version,
      name,
      type: "IMAGE",
      publisher: base.host,
      shortDescription: `${product.os} ${label} virtual machine disk (qcow2) for ${architecture}, build ${found.version}`,
      description: [
        `${product.os} ${label}, "${opts.variant}" variant, as a UEFI-booting qcow2 virtual machine disk for ${architecture}.`,
        `Build ${found.version} of ${upstreamId} on ${base.host}.`,
        ...(product.aliases ? [`Aliases: ${product.aliases.split(",").join(", ")}`] : []),
        ...(requirements.length ? [`Requirements: ${requirements.join(", ")}`] : []),
      ].join("\n"),
      tags: [...new Set([product.os.toLowerCase(), product.release])],
      architecture,
      hypervisor: "kvm",
      format: "qcow2",
      createdAt: versionDate(found.version),
      logoUrl: "",
      file: { url, size: disk.data.size, md5: disk.data.md5 ?? "", sha256: disk.data.sha256 },
      imageTemplate: { type: "OS" },
      vmTemplate: vmTemplate(architecture),
      serviceTemplate: "",
      parts: [],
    } satisfies CatalogEntry);
  }
  return result;
}

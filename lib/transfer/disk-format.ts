import { execFile, spawn } from "node:child_process";
import { open } from "node:fs/promises";
import { promisify } from "node:util";

const run = promisify(execFile);

export const DISK_FORMATS = ["raw", "qcow2", "vmdk", "vdi", "iso"] as const;
export type DiskFormat = (typeof DISK_FORMATS)[number];

export interface ImageInfo {
  format: DiskFormat;
  virtualSize: number;
  /** why the file must not be used as an image, if it must not */
  refusal: string | null;
}

/**
 * What a file holds, according to qemu-img (plus the ISO 9660 signature, which qemu-img
 * reports as raw). qcow2 with a backing file or an external data file, and VMDK with extents
 * in other files, are refused: the image would read another file of the host.
 */
export async function probeImage(path: string): Promise<ImageInfo> {
  let info: Record<string, unknown>;
  try {
    const { stdout } = await run("qemu-img", ["info", "--output=json", "--", path], {
      timeout: 120_000,
      maxBuffer: 4 * 1024 * 1024,
    });
    info = JSON.parse(stdout);
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { stderr?: string };
    if (e.code === "ENOENT") throw new Error("qemu-img is not installed (Debian package qemu-utils)");
    return { format: "raw", virtualSize: 0, refusal: `not a readable disk image: ${e.stderr?.trim() || e.message}` };
  }
  const format = String(info.format ?? "raw");
  const virtualSize = Number(info["virtual-size"] ?? 0);
  const specific = (info["format-specific"] as { data?: Record<string, unknown> } | undefined)?.data ?? {};
  if (info["backing-filename"] || info["full-backing-filename"]) {
    return { format: "qcow2", virtualSize, refusal: "qcow2 images with a backing file are refused" };
  }
  if (specific["data-file"]) {
    return { format: "qcow2", virtualSize, refusal: "qcow2 images with an external data file are refused" };
  }
  if (format === "vmdk") {
    const why = vmdkRefusal(path, specific);
    if (why) return { format: "vmdk", virtualSize, refusal: why };
  }
  if (format === "raw" && (await isIso(path))) return { format: "iso", virtualSize, refusal: null };
  if ((DISK_FORMATS as readonly string[]).includes(format))
    return { format: format as DiskFormat, virtualSize, refusal: null };
  return { format: "raw", virtualSize, refusal: `unsupported disk format "${format}"` };
}

/** VMDK subformats whose data lives inside the one file (what Glance accepts, too). */
const SELF_CONTAINED_VMDK = ["monolithicSparse", "streamOptimized"];

/**
 * A VMDK descriptor names its extents, and a plain-text descriptor can name any file of the
 * host (`RW 1 FLAT "/etc/shadow" 0`): converting or serving it would read that file. Only
 * single-file subformats whose every extent is the file itself are taken.
 */
function vmdkRefusal(path: string, specific: Record<string, unknown>): string | null {
  const createType = String(specific["create-type"] ?? "");
  if (!SELF_CONTAINED_VMDK.includes(createType)) {
    return `VMDK images of type "${createType || "unknown"}" are refused; use a monolithicSparse or streamOptimized VMDK`;
  }
  const extents = (specific.extents as { filename?: string }[] | undefined) ?? [];
  if (extents.some((e) => e.filename !== path)) return "VMDK images whose extents are other files are refused";
  return null;
}

async function isIso(path: string): Promise<boolean> {
  const fh = await open(path, "r");
  try {
    const buf = Buffer.alloc(5);
    const { bytesRead } = await fh.read(buf, 0, 5, 0x8001);
    return bytesRead === 5 && buf.toString("latin1") === "CD001";
  } finally {
    await fh.close();
  }
}

/**
 * A raw "disk" that is really something else (an HTML error page, a text file, an archive)
 * is refused where a datastore requires a disk format: raw disks are whole sectors and do
 * not start with printable text.
 */
export async function rawLooksLikeDisk(path: string, size: number): Promise<string | null> {
  if (size === 0) return "the file is empty";
  if (size % 512 !== 0)
    return `the file is not a disk image (raw disks are a multiple of 512 bytes; this is ${size} bytes)`;
  const fh = await open(path, "r");
  try {
    const head = Buffer.alloc(Math.min(512, size));
    await fh.read(head, 0, head.length, 0);
    const printable = head.every((b) => b === 0x09 || b === 0x0a || b === 0x0d || (b >= 0x20 && b < 0x7f));
    if (printable && head.some((b) => b !== 0x20)) return "the file is text, not a disk image";
    return null;
  } finally {
    await fh.close();
  }
}

/** Converts with qemu-img, reporting progress as a fraction 0..1. */
export function convertImage(
  src: string,
  dst: string,
  from: DiskFormat,
  to: "raw" | "qcow2",
  opts: { signal?: AbortSignal; onProgress?: (fraction: number) => void } = {},
): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn("qemu-img", ["convert", "-p", "-f", from === "iso" ? "raw" : from, "-O", to, "--", src, dst], {
      stdio: ["ignore", "pipe", "pipe"],
      signal: opts.signal,
    });
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => {
      const m = /\((\d+(?:\.\d+)?)\/100%\)/.exec(d.toString());
      if (m) opts.onProgress?.(Number(m[1]) / 100);
    });
    child.stderr.on("data", (d) => (stderr = (stderr + d).slice(-2000)));
    child.on("error", (err) => reject(err));
    child.on("close", (code) =>
      code === 0 ? resolve() : reject(new Error(`qemu-img convert failed: ${stderr.trim() || `exit ${code}`}`)),
    );
  });
}

import type { ImageDto } from "./api";

/** Image types each datastore type takes (lib/images/image-rules.ts, plain data). */
export { TYPES_BY_DATASTORE } from "@/lib/images/image-rules";

export const IMAGE_STATES = ["INIT", "LOCKED", "READY", "USED", "DISABLED", "ERROR"] as const;
export const IMAGE_TYPES = ["OS", "CDROM", "DATABLOCK", "KERNEL", "RAMDISK", "CONTEXT"] as const;

export const isJobActive = (job: { state: string } | null | undefined) =>
  job?.state === "QUEUED" || job?.state === "RUNNING";

/** The server is still moving or checking the image's bytes: worth polling. */
export const isImageBusy = (img: ImageDto) => img.state === "LOCKED" || isJobActive(img.job);

/** An upload image still waiting for (the rest of) its bytes. */
export const awaitsUpload = (img: ImageDto) => img.state === "INIT" && img.origin === "UPLOAD";

export const canDownload = (img: ImageDto) => img.state === "READY" || img.state === "USED";

/** "debian-12.qcow2" → "debian-12"; names may not hold some characters (lib/api/schemas objectName). */
export function nameFromFile(fileName: string): string {
  const base = fileName.split(/[\\/]/).pop() ?? fileName;
  const dot = base.lastIndexOf(".");
  const stem = dot > 0 ? base.slice(0, dot) : base;
  return stem.replace(/[&|:\\";/'#{}$<>\p{Cc}]/gu, "_").slice(0, 128);
}

/** The last path segment of a URL, without extension (and without .gz/.xz/.bz2 first). */
export function nameFromUrl(raw: string): string {
  try {
    const segment = decodeURIComponent(new URL(raw).pathname.split("/").filter(Boolean).pop() ?? "");
    return nameFromFile(segment.replace(/\.(gz|xz|bz2|zst)$/i, ""));
  } catch {
    return "";
  }
}

import type { ImageDto } from "./api";

/** Image types each datastore type takes (lib/images/image-rules.ts, plain data). */
export { TYPES_BY_DATASTORE } from "@/lib/images/image-rules";

export const IMAGE_STATES = ["INIT", "LOCKED", "READY", "USED", "DISABLED", "ERROR"] as const;
export { IMAGE_TYPES } from "@/lib/images/image-schemas";

export const isJobActive = (job: { state: string } | null | undefined) =>
  job?.state === "QUEUED" || job?.state === "RUNNING";

/** The server is still moving or checking the image's bytes: worth polling. */
export const isImageBusy = (img: ImageDto) => img.state === "LOCKED" || isJobActive(img.job);

/** An upload image still waiting for (the rest of) its bytes. */
export const awaitsUpload = (img: ImageDto) => img.state === "INIT" && img.origin === "UPLOAD";

/**
 * Whether an image offers "Resume upload": an upload image still waiting for bytes that this
 * page is not sending (a reload, another tab, an upload cancelled here). Not for one this page
 * has just finished: the image stays INIT until the list's next fetch, and "Resume" would read
 * as if the bytes were lost.
 */
export const offersResume = (img: ImageDto, upload: { status: string } | undefined, canManage: boolean) =>
  canManage && awaitsUpload(img) && (!upload || upload.status === "cancelled");

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

/** The states an image reaches only once its bytes arrived and passed their checks. */
const CHECKED_STATES: readonly string[] = ["READY", "USED", "DISABLED"];

/**
 * What the checksums given at creation were checked against, for the image page: they belong to
 * the bytes that arrived (the upload, the download, the app's file), which the portal may have
 * decompressed or converted before storing; the image's own MD5 and SHA-256 are the stored
 * file's. Null when none was given.
 */
export function sourceChecksumNote(img: ImageDto): string | null {
  if (!img.expectedMd5 && !img.expectedSha256) return null;
  if (!CHECKED_STATES.includes(img.state))
    return img.state === "ERROR"
      ? "Given for the bytes to receive; see the error above."
      : "Given for the bytes to receive; checked as they arrive.";
  const differs =
    (!!img.expectedMd5 && !!img.md5 && img.expectedMd5 !== img.md5) ||
    (!!img.expectedSha256 && !!img.sha256 && img.expectedSha256 !== img.sha256);
  return differs
    ? `The bytes received matched them. They were then turned into the stored ${img.format || "file"}, ` +
        "whose own checksums are above: the two differ because they belong to different bytes."
    : "The bytes received matched them and were stored as they came.";
}

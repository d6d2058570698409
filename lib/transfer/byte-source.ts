import type { Readable } from "node:stream";
import { AppError } from "@/lib/errors";

/** Inclusive byte offsets, as in `Range: bytes=start-end`. */
export type ByteRange = { start: number; end: number };

/**
 * Bytes a service offers for reading, described but not yet opened: what the HTTP layer needs
 * to answer GET, HEAD, Range and conditional requests (lib/api/serve-bytes.ts).
 */
export interface ByteSource {
  size: number;
  /** quoted entity tag, e.g. `"<sha256>"`; a `W/` prefix marks it weak */
  etag?: string;
  lastModified?: Date;
  /** the name to save the bytes under (Content-Disposition: attachment); none for bytes shown as they are */
  filename?: string;
  contentType: string;
  /** the whole object, or only `range`; fails before streaming when the backend cannot serve it */
  open(range?: ByteRange): Promise<Readable>;
}

/**
 * The answer when a backend cannot open the bytes it should hold (502 BACKEND_FAILED): what
 * failed, in words the viewer may read; the backend's own words (a path, a system error) only
 * for administrators.
 */
export function cannotServe(viewer: { isAdmin: boolean }, what: string, err: Error): AppError {
  return new AppError("BACKEND_FAILED", viewer.isAdmin ? `${what}: ${err.message}` : what);
}

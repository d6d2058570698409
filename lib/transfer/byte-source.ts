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
  /**
   * false when `size` is only what a catalog claims (a public catalog's app, read from where it
   * lives): no Content-Length is stated, so a client is never promised bytes that do not come
   */
  sizeIsExact?: boolean;
  /** quoted entity tag, e.g. `"<sha256>"`; a `W/` prefix marks it weak */
  etag?: string;
  lastModified?: Date;
  /** the name to save the bytes under (Content-Disposition: attachment); none for bytes shown as they are */
  filename?: string;
  contentType: string;
  /** the whole object, or only `range`; fails before streaming when the backend cannot serve it */
  open(range?: ByteRange): Promise<Readable>;
  /** checked before any answer (HEAD too): throws when the stored bytes are not what was recorded */
  verify?(method: string): Promise<void>;
  /**
   * a short-lived URL the client may GET the bytes from itself (Range included), answered as a
   * redirect instead of streaming them; called only for a GET that would get bytes, after
   * `verify`, and records the download
   */
  redirect?(): Promise<string>;
}

/** The range of a whole object of `size` bytes (none for an empty or unknown size: read it all). */
export const wholeOf = (size: number): ByteRange | undefined => (size > 0 ? { start: 0, end: size - 1 } : undefined);

/**
 * A check that the backend holds exactly the bytes recorded: a file cut short, grown or gone is
 * damaged and is refused (502 BACKEND_FAILED) rather than served as if whole. A file that is
 * gone is left to `open` to report (in the backend's words, for admins), but for HEAD, which
 * opens nothing.
 */
export function storedSizeCheck(
  stat: () => Promise<{ size: number } | null>,
  expected: number,
  viewer: { isAdmin: boolean },
  what: string,
): (method: string) => Promise<void> {
  return async (method) => {
    let info: { size: number } | null;
    try {
      info = await stat();
    } catch (err) {
      throw cannotServe(viewer, what, err as Error);
    }
    if (!info) {
      if (method === "HEAD") throw cannotServe(viewer, what, new Error("its stored bytes are gone"));
      return;
    }
    if (info.size !== expected)
      throw cannotServe(
        viewer,
        `${what}: its stored bytes are damaged`,
        new Error(`the backend holds ${info.size} bytes, ${expected} were recorded`),
      );
  };
}

/**
 * The answer when a backend cannot open the bytes it should hold (502 BACKEND_FAILED): what
 * failed, in words the viewer may read; the backend's own words (a path, a system error) only
 * for administrators.
 */
export function cannotServe(viewer: { isAdmin: boolean }, what: string, err: Error): AppError {
  return new AppError("BACKEND_FAILED", viewer.isAdmin ? `${what}: ${err.message}` : what);
}

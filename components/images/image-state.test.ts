import { describe, expect, it } from "vitest";
import type { ImageDto } from "./api";
import { offersResume, sourceChecksumNote } from "./image-state";

const image = (over: Partial<ImageDto>) =>
  ({ state: "READY", format: "raw", md5: "", sha256: "", expectedMd5: "", expectedSha256: "", ...over }) as ImageDto;
const A = "a".repeat(32);
const B = "b".repeat(32);

describe("sourceChecksumNote", () => {
  it("says nothing when no checksum was given", () => {
    expect(sourceChecksumNote(image({ md5: A }))).toBeNull();
  });

  it("explains that a converted image's checksums belong to other bytes than the given ones", () => {
    const note = sourceChecksumNote(image({ md5: B, expectedMd5: A, format: "raw" }));
    expect(note).toContain("matched");
    expect(note).toContain("stored raw");
    expect(note).toContain("different bytes");
  });

  it("says the bytes were stored as they came when the checksums agree", () => {
    expect(sourceChecksumNote(image({ md5: A, expectedMd5: A }))).toBe(
      "The bytes received matched them and were stored as they came.",
    );
  });

  it("claims no match before the bytes arrived or after a failure", () => {
    expect(sourceChecksumNote(image({ state: "LOCKED", expectedMd5: A }))).not.toContain("matched");
    expect(sourceChecksumNote(image({ state: "ERROR", expectedMd5: A, md5: "" }))).not.toContain("matched");
  });
});

describe("offersResume", () => {
  const waiting = image({ state: "INIT", origin: "UPLOAD" });
  it("offers to resume an upload this page does not hold, or cancelled", () => {
    expect(offersResume(waiting, undefined, true)).toBe(true);
    expect(offersResume(waiting, { status: "cancelled" }, true)).toBe(true);
  });
  it("not for an upload this page is sending or has just finished (the image is INIT until the next fetch)", () => {
    for (const status of ["starting", "uploading", "reconnecting", "failed", "done"])
      expect(offersResume(waiting, { status }, true)).toBe(false);
  });
  it("not for an image that has its bytes, came by URL, or that the user may not manage", () => {
    expect(offersResume(image({ state: "READY", origin: "UPLOAD" }), undefined, true)).toBe(false);
    expect(offersResume(image({ state: "INIT", origin: "URL" }), undefined, true)).toBe(false);
    expect(offersResume(waiting, undefined, false)).toBe(false);
  });
});

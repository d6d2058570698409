import { describe, expect, it } from "vitest";
import type { ImageDto } from "./api";
import { sourceChecksumNote } from "./image-state";

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

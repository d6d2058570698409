import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { Readable, Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { gzipSync } from "node:zlib";
import { describe, expect, it, vi } from "vitest";
import { childProcessNames } from "@/tests/support/processes";
import { createDecompressor, sniffCompression } from "./compression";

const original = randomBytes(300 * 1024);
const compress = (tool: "bzip2" | "xz", data: Buffer) =>
  execFileSync(tool, ["-c"], { input: data, maxBuffer: 64 * 1024 * 1024 });
const packed = { gzip: gzipSync(original), bzip2: compress("bzip2", original), xz: compress("xz", original) };

/** Runs `input` through a decompressor in 64 KiB chunks and collects what comes out. */
async function decompress(kind: "gzip" | "bzip2" | "xz", input: Buffer): Promise<Buffer> {
  const out: Buffer[] = [];
  const chunks = Array.from({ length: Math.ceil(input.length / 65536) }, (_, i) =>
    input.subarray(i * 65536, (i + 1) * 65536),
  );
  await pipeline(
    Readable.from(chunks),
    createDecompressor(kind),
    new Writable({
      write(chunk, _enc, cb) {
        out.push(chunk);
        cb();
      },
    }),
  );
  return Buffer.concat(out);
}

describe("sniffCompression", () => {
  it.each([
    ["gzip", packed.gzip],
    ["bzip2", packed.bzip2],
    ["xz", packed.xz],
  ] as const)("recognises %s from its magic bytes", (kind, data) => {
    expect(sniffCompression(data.subarray(0, 6))).toBe(kind);
  });

  it("takes anything else, and heads too short to tell, as uncompressed", () => {
    expect(sniffCompression(original.subarray(0, 6))).toBe("none");
    expect(sniffCompression(Buffer.from("QFI\xfb\0\0", "latin1"))).toBe("none"); // a qcow2 header
    expect(sniffCompression(Buffer.alloc(0))).toBe("none");
    expect(sniffCompression(Buffer.from([0x1f]))).toBe("none");
    expect(sniffCompression(Buffer.from("BZ"))).toBe("none");
    expect(sniffCompression(packed.xz.subarray(0, 5))).toBe("none");
  });
});

describe("createDecompressor", () => {
  it.each(["gzip", "bzip2", "xz"] as const)("gives back the original bytes of %s input", async (kind) => {
    expect((await decompress(kind, packed[kind])).equals(original)).toBe(true);
  });

  it.each(["bzip2", "xz"] as const)(
    "fails on truncated %s input instead of passing what it could decode",
    async (kind) => {
      const truncated = packed[kind].subarray(0, Math.floor(packed[kind].length * 0.7));
      await expect(decompress(kind, truncated)).rejects.toThrow(new RegExp(`^${kind} failed \\(exit \\d+\\): `));
      await vi.waitFor(() => expect(childProcessNames()).not.toContain(kind));
    },
  );

  it("fails on corrupt input with the tool's own reason", async () => {
    const corrupt = Buffer.concat([packed.xz.subarray(0, 6), randomBytes(100 * 1024)]);
    await expect(decompress("xz", corrupt)).rejects.toThrow(/^xz failed \(exit 1\): xz: \(stdin\): /);
    await expect(decompress("gzip", Buffer.concat([packed.gzip.subarray(0, 10), randomBytes(1024)]))).rejects.toThrow();
    await expect(decompress("gzip", packed.gzip.subarray(0, packed.gzip.length - 100))).rejects.toThrow(
      /unexpected end of file/,
    );
  });

  it("kills the child when the stream is destroyed early", async () => {
    const d = createDecompressor("xz");
    d.write(packed.xz.subarray(0, 1000));
    await vi.waitFor(() => expect(childProcessNames()).toContain("xz"));
    d.destroy();
    await vi.waitFor(() => expect(childProcessNames()).not.toContain("xz"));
  });
});

import { execFileSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { Readable, Writable } from "node:stream";
import { gzipSync } from "node:zlib";
import { describe, expect, it, vi } from "vitest";
import { childProcessNames, threadCount } from "@/tests/support/processes";
import { LimitExceededError } from "./meter";
import { runTransfer } from "./pipeline";

const digests = (b: Buffer) => ({
  md5: createHash("md5").update(b).digest("hex"),
  sha256: createHash("sha256").update(b).digest("hex"),
});
const compress = (tool: "bzip2" | "xz", data: Buffer) =>
  execFileSync(tool, ["-c"], { input: data, maxBuffer: 64 * 1024 * 1024 });

// half random, half zeros: the compressed forms are smaller than the original
const original = Buffer.concat([randomBytes(512 * 1024), Buffer.alloc(512 * 1024)]);
const inputs = {
  none: original,
  gzip: gzipSync(original),
  bzip2: compress("bzip2", original),
  xz: compress("xz", original),
};

/** A source that yields `data` in chunks of `size` bytes, like a socket or a file. */
const source = (data: Buffer, size = 64 * 1024) =>
  Readable.from(
    Array.from({ length: Math.ceil(data.length / size) }, (_, i) => data.subarray(i * size, (i + 1) * size)),
  );

function collector() {
  const chunks: Buffer[] = [];
  const sink = new Writable({
    write(chunk, _enc, cb) {
      chunks.push(chunk);
      cb();
    },
  });
  return { sink, bytes: () => Buffer.concat(chunks) };
}

describe("runTransfer", () => {
  it.each(["none", "gzip", "bzip2", "xz"] as const)(
    "%s input: writes the original bytes, with digests of both sides",
    async (kind) => {
      const input = inputs[kind];
      const out = collector();
      const seen: number[] = [];
      const r = await runTransfer({ source: source(input), sink: out.sink, onSourceBytes: (n) => seen.push(n) });
      expect(out.bytes().equals(original)).toBe(true);
      expect(r).toEqual({
        compression: kind,
        sourceBytes: input.length,
        source: digests(input),
        bytes: original.length,
        ...digests(original),
      });
      // progress counts the bytes taken from the source, growing to all of them
      expect(seen.at(-1)).toBe(input.length);
      expect(seen).toEqual([...seen].sort((a, b) => a - b));
    },
  );

  it("passes compressed bytes through untouched when told not to decompress", async () => {
    const out = collector();
    const r = await runTransfer({ source: source(inputs.gzip), sink: out.sink, decompress: false });
    expect(out.bytes().equals(inputs.gzip)).toBe(true);
    expect(r).toMatchObject({ compression: "none", bytes: inputs.gzip.length, ...digests(inputs.gzip) });
  });

  it("handles an empty source and one shorter than the magic bytes", async () => {
    expect(await runTransfer({ source: source(Buffer.alloc(0)), sink: collector().sink })).toMatchObject({
      bytes: 0,
      ...digests(Buffer.alloc(0)),
    });
    const out = collector();
    expect(await runTransfer({ source: source(Buffer.from([0x1f]), 1), sink: out.sink })).toMatchObject({
      bytes: 1,
      compression: "none",
    });
    expect(out.bytes()).toEqual(Buffer.from([0x1f]));
  });

  it.each([
    ["gzip", Buffer.concat([inputs.gzip.subarray(0, 20), randomBytes(64 * 1024)])],
    ["gzip", inputs.gzip.subarray(0, inputs.gzip.length - 8)],
    ["bzip2", inputs.bzip2.subarray(0, inputs.bzip2.length >> 1)],
    ["xz", Buffer.concat([inputs.xz.subarray(0, 6), randomBytes(64 * 1024)])],
    ["xz", inputs.xz.subarray(0, inputs.xz.length - 40)],
  ] as const)("rejects corrupt or truncated %s input", async (_kind, input) => {
    await expect(runTransfer({ source: source(input), sink: collector().sink })).rejects.toThrow();
  });

  it("stops at the limit with LimitExceededError, counting decompressed bytes", async () => {
    const limit = original.length - 1;
    for (const kind of ["none", "gzip", "xz"] as const) {
      const run = runTransfer({
        source: source(inputs[kind]),
        sink: collector().sink,
        limit,
        limitMessage: "not enough space",
      });
      await expect(run, kind).rejects.toThrow(LimitExceededError);
      await expect(
        runTransfer({ source: source(inputs[kind]), sink: collector().sink, limit, limitMessage: "full" }),
        kind,
      ).rejects.toThrow("full");
    }
    // the compressed size fits the limit; the content does not
    expect(inputs.gzip.length).toBeLessThan(limit);
    expect(
      (await runTransfer({ source: source(inputs.gzip), sink: collector().sink, limit: original.length })).bytes,
    ).toBe(original.length);
  });

  it("stops when aborted and kills the decompressor", async () => {
    const abort = new AbortController();
    const slow = new Readable({ read() {} }); // bytes arrive only when pushed
    slow.push(inputs.xz.subarray(0, 64 * 1024));
    const run = runTransfer({ source: slow, sink: collector().sink, signal: abort.signal });
    await vi.waitFor(() => expect(childProcessNames()).toContain("xz"));
    abort.abort();
    await expect(run).rejects.toThrow(/abort/i);
    expect(slow.destroyed).toBe(true);
    await vi.waitFor(() => expect(childProcessNames()).not.toContain("xz"));
  });

  it("fails when the sink fails, and leaves no md5 thread or child process behind", async () => {
    const before = threadCount();
    for (let i = 0; i < 4; i++) {
      const failing = new Writable({
        write(_c, _e, cb) {
          cb(new Error("disk full"));
        },
      });
      await expect(runTransfer({ source: source(inputs.bzip2), sink: failing })).rejects.toThrow(/disk full|bzip2/);
      // the source meter finished (all input read) before decompression failed
      await expect(
        runTransfer({ source: source(inputs.gzip.subarray(0, inputs.gzip.length - 8)), sink: collector().sink }),
      ).rejects.toThrow();
    }
    await vi.waitFor(() => expect(threadCount()).toBeLessThanOrEqual(before), { timeout: 10_000 });
    await vi.waitFor(() => expect(childProcessNames()).not.toContain("bzip2"));
  });
});

import { createHash, randomBytes } from "node:crypto";
import { Readable, Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { describe, expect, it, vi } from "vitest";
import { threadCount } from "@/tests/support/processes";
import { LimitExceededError, Meter } from "./meter";

const discard = () => new Writable({ write: (_c, _e, cb) => cb() });

describe("Meter", () => {
  it("hashes like node:crypto across many chunks, more than the md5 thread may have queued (4 MiB)", async () => {
    // one chunk above the in-flight bound makes the meter wait for its md5 thread
    // (backpressure) for certain; then uneven chunks, each to be seen once and in order
    const block = randomBytes(4 * 1024 * 1024);
    const first = Buffer.concat(Array.from({ length: 9 }, () => block)).subarray(0, 33 * 1024 * 1024 + 5);
    const sizes = [1, 7, 65536, 1024 * 1024 + 3, 3 * 1024 * 1024, 512];
    const chunks: Buffer[] = [first];
    let total = first.length;
    for (let i = 0; total < 48 * 1024 * 1024; i++) {
      const size = sizes[i % sizes.length];
      const start = (i * 7919) % (block.length - size);
      chunks.push(block.subarray(start, start + size));
      total += size;
    }
    const md5 = createHash("md5");
    const sha256 = createHash("sha256");
    for (const c of chunks) {
      md5.update(c);
      sha256.update(c);
    }

    const seen: number[] = [];
    const meter = new Meter({ onBytes: (n) => seen.push(n) });
    await pipeline(Readable.from(chunks), meter, discard());
    expect(meter.bytes).toBe(total);
    expect(seen.at(-1)).toBe(total);
    expect(await meter.digests()).toEqual({ md5: md5.digest("hex"), sha256: sha256.digest("hex") });
  }, 30_000);

  it("hashes right when chunks fall around the 1 MiB batch boundary, its batches reused many times", async () => {
    // 40 MiB in pieces just under, at and just over a batch, so batches end mid-chunk, at a
    // chunk's end and one byte in; every batch buffer goes back and forth several times
    const MiB = 1024 * 1024;
    const block = randomBytes(2 * MiB + 2);
    const sizes = [MiB - 1, MiB, MiB + 1, 1, MiB - 2, 2, 3 * MiB];
    const chunks: Buffer[] = [];
    let total = 0;
    for (let i = 0; total < 40 * MiB; i++) {
      const size = Math.min(sizes[i % sizes.length], block.length - 1);
      const start = (i * 104729) % (block.length - size);
      // a fresh copy: a batch must hold these bytes, not a view the test changes later
      chunks.push(Buffer.from(block.subarray(start, start + size)));
      total += size;
    }
    const md5 = createHash("md5");
    const sha256 = createHash("sha256");
    for (const c of chunks) {
      md5.update(c);
      sha256.update(c);
    }
    const meter = new Meter();
    await pipeline(Readable.from(chunks), meter, discard());
    expect(meter.bytes).toBe(total);
    expect(await meter.digests()).toEqual({ md5: md5.digest("hex"), sha256: sha256.digest("hex") });
  }, 30_000);

  it("passes the bytes through unchanged", async () => {
    const data = randomBytes(200 * 1024);
    const out: Buffer[] = [];
    const meter = new Meter();
    await pipeline(
      Readable.from([data.subarray(0, 1000), data.subarray(1000)]),
      meter,
      new Writable({
        write(c, _e, cb) {
          out.push(c);
          cb();
        },
      }),
    );
    expect(Buffer.concat(out).equals(data)).toBe(true);
    expect((await meter.digests()).sha256).toBe(createHash("sha256").update(data).digest("hex"));
  });

  it("refuses to pass more than its limit, with the given message", async () => {
    const meter = new Meter({ limit: 1000, limitMessage: "not enough space in datastore x" });
    const run = pipeline(Readable.from([randomBytes(600), randomBytes(600)]), meter, discard());
    await expect(run).rejects.toThrow(LimitExceededError);
    await expect(run).rejects.toThrow("not enough space in datastore x");
    expect(meter.bytes).toBe(1200);
    // exactly the limit is fine
    const exact = new Meter({ limit: 1200, hash: false });
    await pipeline(Readable.from([randomBytes(600), randomBytes(600)]), exact, discard());
    expect(exact.bytes).toBe(1200);
  });

  it("counts without hashing when asked", async () => {
    const meter = new Meter({ hash: false });
    await pipeline(Readable.from([randomBytes(10)]), meter, discard());
    expect(meter.bytes).toBe(10);
    await expect(meter.digests()).rejects.toThrow(/does not hash/);
  });

  it("ends its md5 thread after the digests, after a failure, and on release", async () => {
    const before = threadCount();
    const done = new Meter();
    await pipeline(Readable.from([randomBytes(1000)]), done, discard());
    await done.digests();
    const failed = new Meter({ limit: 10 });
    await expect(pipeline(Readable.from([randomBytes(100)]), failed, discard())).rejects.toThrow(LimitExceededError);
    const released = new Meter();
    await pipeline(Readable.from([randomBytes(100)]), released, discard());
    released.release();
    await vi.waitFor(() => expect(threadCount()).toBeLessThanOrEqual(before), { timeout: 10_000 });
  });
});

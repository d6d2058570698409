import { createHash, randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { beginFileWrite, beginLocalFileWrite } from "./file-write";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), "bazaar-file-write-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const names = () => ({ temp: path.join(dir, "obj.1.part"), final: path.join(dir, "obj") });

describe("a file write", () => {
  it("an abort during a commit waits for the commit: it never claims to remove what became visible", async () => {
    const { temp, final } = names();
    const write = await beginLocalFileWrite(temp, final, 0o640);
    const order: string[] = [];
    await Promise.all([write.commit().then(() => order.push("commit")), write.abort().then(() => order.push("abort"))]);
    expect(order).toEqual(["commit", "abort"]);
    expect(write.state).toBe("committed");
    expect(readdirSync(dir)).toEqual(["obj"]);
  });

  it("a cancel that comes while the file is being opened still stops the write", async () => {
    const { temp, final } = names();
    const cancel = new AbortController();
    const opening = beginFileWrite(temp, final, { mode: 0o640, signal: cancel.signal });
    cancel.abort(new Error("cancelled by a user"));
    const handle = await opening;
    handle.stream.end(Buffer.from("bytes"));
    await expect(handle.commit()).rejects.toThrow();
    expect(existsSync(final)).toBe(false);
    expect(readdirSync(dir)).toEqual([]);
  });

  it("keeps every byte, in order, across the background syncs of a large write", async () => {
    // 150 MiB: two background syncs (every 64 MiB) start while writes go on; uneven chunks
    const { temp, final } = names();
    const block = randomBytes(3 * 1024 * 1024 + 17);
    const chunks: Buffer[] = [];
    const sha = createHash("sha256");
    for (let total = 0, i = 0; total < 150 * 1024 * 1024; i++) {
      const chunk = block.subarray(i % 7, block.length - (i % 5));
      chunks.push(chunk);
      sha.update(chunk);
      total += chunk.length;
    }
    const size = chunks.reduce((n, c) => n + c.length, 0);
    const handle = await beginFileWrite(temp, final, { mode: 0o640 });
    await pipeline(Readable.from(chunks), handle.stream);
    expect(await handle.commit()).toEqual({ size });
    expect(createHash("sha256").update(readFileSync(final)).digest("hex")).toBe(sha.digest("hex"));
    expect(readdirSync(dir)).toEqual(["obj"]);
  }, 60_000);
});

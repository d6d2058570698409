import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
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
});

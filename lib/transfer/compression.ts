import { spawn } from "node:child_process";
import { Duplex } from "node:stream";
import { createGunzip } from "node:zlib";

export type Compression = "gzip" | "bzip2" | "xz" | "none";

/** Recognises compressed input from its first bytes (magic numbers). */
export function sniffCompression(head: Buffer): Compression {
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return "gzip";
  if (head.length >= 3 && head.subarray(0, 3).toString("latin1") === "BZh") return "bzip2";
  if (head.length >= 6 && head.subarray(0, 6).equals(Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]))) return "xz";
  return "none";
}

/**
 * A streaming decompressor: zlib for gzip; the system's bzip2 / xz for the others (they
 * stream, use all the speed of their C implementations, and ship with every Debian).
 */
export function createDecompressor(kind: Exclude<Compression, "none">): Duplex {
  if (kind === "gzip") return createGunzip({ chunkSize: 256 * 1024 });
  const child = spawn(kind, ["-dc"], { stdio: ["pipe", "pipe", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (d) => (stderr = (stderr + d).slice(-2000)));
  const duplex = Duplex.from({ writable: child.stdin, readable: child.stdout });
  child.on("error", (err) => duplex.destroy(new Error(`${kind} could not run: ${err.message}`)));
  child.on("close", (code) => {
    if (code !== 0 && code !== null) duplex.destroy(new Error(`${kind} failed (exit ${code}): ${stderr.trim() || "corrupt input"}`));
  });
  duplex.on("close", () => {
    if (child.exitCode === null) child.kill("SIGKILL");
  });
  return duplex;
}

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
  return childDecompressor(kind);
}

/**
 * `<kind> -dc` as a duplex stream. Its readable side ends only after the child has exited
 * with status 0: a truncated or corrupt .xz/.bz2 makes the tool print what it could decode
 * and then fail, and that failure must fail the transfer rather than pass a partial image.
 */
function childDecompressor(kind: "bzip2" | "xz"): Duplex {
  const child = spawn(kind, ["-dc"], { stdio: ["pipe", "pipe", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (d) => (stderr = (stderr + d).slice(-2000)));
  const exit = new Promise<Error | null>((resolve) => {
    child.once("error", (err) => resolve(new Error(`${kind} could not run: ${err.message}`)));
    child.once("close", (code, signal) =>
      resolve(
        code === 0
          ? null
          : new Error(
              `${kind} failed (${code === null ? signal : `exit ${code}`}): ${stderr.trim().split("\n")[0] || "corrupt input"}`,
            ),
      ),
    );
  });
  // EPIPE on stdin means the tool gave up on its input: report its own reason instead
  const failWithExit = () =>
    void exit.then((err) => duplex.destroy(err ?? new Error(`${kind} stopped reading its input`)));
  child.stdin.on("error", failWithExit);
  child.stdout.on("error", failWithExit);

  const duplex = new Duplex({
    write(chunk, _enc, cb) {
      if (child.stdin.write(chunk)) cb();
      else child.stdin.once("drain", () => cb());
    },
    final(cb) {
      child.stdin.end();
      cb();
    },
    read() {
      child.stdout.resume();
    },
    destroy(err, cb) {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      cb(err);
    },
  });
  child.stdout.on("data", (chunk: Buffer) => {
    if (!duplex.push(chunk)) child.stdout.pause();
  });
  child.stdout.on("end", () => void exit.then((err) => (err ? duplex.destroy(err) : duplex.push(null))));
  return duplex;
}

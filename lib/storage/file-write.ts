import { open, rename, rm } from "node:fs/promises";
import path from "node:path";
import { finished } from "node:stream/promises";
import type { LocalWrite, WriteHandle } from "./byte-store";

type State = "open" | "committed" | "aborted";

/** A local write that also tells whether it was committed or aborted. */
export interface FileWrite extends LocalWrite {
  readonly state: State;
}

/**
 * Writes of the drivers that keep objects as files: bytes go to `temp`, and commit() makes
 * them durable (fsync) before a rename shows them under `final`. The temporary file is
 * created exclusively (O_EXCL), so a write never goes through a symlink planted under its
 * name nor shares the file with another write; the rename replaces a symlink planted under
 * the final name, never the file it points to.
 */
export async function beginLocalFileWrite(temp: string, final: string, mode: number): Promise<FileWrite> {
  await (await open(temp, "wx", mode)).close();
  return fileWrite(temp, final);
}

/** A streamed write to `temp`; `file` is the rename underneath, committed by the handle. */
export async function beginFileWrite(
  temp: string,
  final: string,
  opts: { mode: number; signal?: AbortSignal },
): Promise<{ handle: WriteHandle; file: FileWrite }> {
  const { signal } = opts;
  signal?.throwIfAborted();
  const fh = await open(temp, "wx", opts.mode);
  // a deep buffer lets fs coalesce socket-sized chunks into large writev calls (2x throughput)
  const stream = fh.createWriteStream({ highWaterMark: 8 * 1024 * 1024 });
  const file = fileWrite(temp, final);
  const onAbort = () => stream.destroy(signal!.reason);
  signal?.addEventListener("abort", onAbort, { once: true });
  const release = () => signal?.removeEventListener("abort", onAbort);
  const abort = async () => {
    release();
    stream.destroy();
    await file.abort();
  };
  const handle: WriteHandle = {
    stream,
    commit: async () => {
      if (file.state !== "open") throw alreadyDone(final, file.state);
      try {
        if (stream.errored) throw stream.errored;
        if (!stream.writableFinished) await finished(stream);
        // finished() also resolves for a stream destroyed without an error: its bytes are not all in
        if (!stream.writableFinished)
          throw stream.errored ?? new Error(`The write of "${path.basename(final)}" was cut short`);
      } catch (err) {
        await abort();
        throw err;
      }
      release();
      return file.commit();
    },
    abort,
  };
  return { handle, file };
}

function fileWrite(temp: string, final: string): FileWrite {
  let state: State = "open";
  return {
    path: temp,
    get state() {
      return state;
    },
    commit: async () => {
      if (state !== "open") throw alreadyDone(final, state);
      try {
        const fh = await open(temp, "r");
        let size: number;
        try {
          await fh.sync();
          size = (await fh.stat()).size;
        } finally {
          await fh.close();
        }
        await rename(temp, final);
        state = "committed";
        return { size };
      } catch (err) {
        state = "aborted";
        await rm(temp, { force: true }).catch(() => {});
        throw err;
      }
    },
    abort: async () => {
      if (state !== "open") return;
      state = "aborted";
      await rm(temp, { force: true }).catch(() => {});
    },
  };
}

const alreadyDone = (final: string, state: State) =>
  new Error(`The write of "${path.basename(final)}" was ${state} already`);

import { open, rename, rm, type FileHandle } from "node:fs/promises";
import path from "node:path";
import { Writable } from "node:stream";
import { finished } from "node:stream/promises";
import type { LocalWrite, WriteHandle } from "./byte-store";

type State = "open" | "committing" | "committed" | "aborted";

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

/** A streamed write to `temp`, renamed to `final` by commit(). */
export async function beginFileWrite(
  temp: string,
  final: string,
  opts: { mode: number; signal?: AbortSignal },
): Promise<WriteHandle> {
  const { signal } = opts;
  signal?.throwIfAborted();
  const fh = await open(temp, "wx", opts.mode);
  const stream = new SyncingFileStream(fh);
  // a cancel may destroy the stream before anyone pipes into it: its error is read by commit()
  // (stream.errored) and by the pipeline, never left to crash the process as an unhandled event
  stream.on("error", () => {});
  const file = fileWrite(temp, final);
  const onAbort = () => stream.destroy(signal!.reason);
  signal?.addEventListener("abort", onAbort, { once: true });
  // a cancel that came while the file was being opened
  if (signal?.aborted) onAbort();
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
  return handle;
}

function fileWrite(temp: string, final: string): FileWrite {
  let state: State = "open";
  let committing: Promise<unknown> = Promise.resolve();
  const commit = async () => {
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
  };
  return {
    path: temp,
    get state() {
      return state;
    },
    commit: () => {
      if (state !== "open") return Promise.reject(alreadyDone(final, state));
      state = "committing";
      const done = commit();
      committing = done.catch(() => {});
      return done;
    },
    abort: async () => {
      // an abort during a commit waits for it: after a commit there is nothing to abort
      if (state === "committing") await committing;
      if (state !== "open") return;
      state = "aborted";
      await rm(temp, { force: true }).catch(() => {});
    },
  };
}

const alreadyDone = (final: string, state: State) =>
  new Error(`The write of "${path.basename(final)}" was ${state} already`);

/** written bytes after which the stream asks the disk to catch up, while the writes go on */
const SYNC_EVERY = 64 * 1024 * 1024;

/**
 * A write stream to an open file that has the kernel write its dirty pages back as it goes
 * (fdatasync every SYNC_EVERY bytes, in the background, one at a time): the fsync of commit()
 * then finds little left to do, instead of a whole image's page cache after the last byte.
 * A deep buffer lets it coalesce socket-sized chunks into large writev calls (2x throughput
 * over none; 4 MiB measured as fast as 8 MiB, and it is a transfer's memory).
 * It closes the file when it finishes or is destroyed.
 */
class SyncingFileStream extends Writable {
  private written = 0;
  private syncedAt = 0;
  private syncing: Promise<void> | null = null;

  constructor(private readonly fh: FileHandle) {
    super({ highWaterMark: 4 * 1024 * 1024 });
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    this.writeAll([chunk]).then(() => cb(), cb);
  }

  override _writev(chunks: { chunk: Buffer }[], cb: (err?: Error | null) => void): void {
    this.writeAll(chunks.map((c) => c.chunk)).then(() => cb(), cb);
  }

  private async writeAll(buffers: Buffer[]): Promise<void> {
    let left = buffers;
    while (left.length > 0) {
      const { bytesWritten } = await this.fh.writev(left);
      this.written += bytesWritten;
      left = rest(left, bytesWritten);
    }
    if (!this.syncing && this.written - this.syncedAt >= SYNC_EVERY) {
      this.syncedAt = this.written;
      // a failed background sync is not the write's failure: commit()'s fsync reports it
      this.syncing = this.fh
        .datasync()
        .catch(() => {})
        .finally(() => (this.syncing = null));
    }
  }

  override _final(cb: (err?: Error | null) => void): void {
    this.close().then(() => cb(), cb);
  }

  override _destroy(err: Error | null, cb: (err?: Error | null) => void): void {
    this.close().then(
      () => cb(err),
      () => cb(err),
    );
  }

  private closing: Promise<void> | null = null;
  private close(): Promise<void> {
    this.closing ??= (async () => {
      await this.syncing;
      await this.fh.close();
    })();
    return this.closing;
  }
}

/** What is left of `buffers` after the first `n` bytes were written. */
function rest(buffers: Buffer[], n: number): Buffer[] {
  let i = 0;
  while (i < buffers.length && n >= buffers[i].length) n -= buffers[i++].length;
  if (i === buffers.length) return [];
  return [buffers[i].subarray(n), ...buffers.slice(i + 1)];
}

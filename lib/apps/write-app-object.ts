import type { Readable } from "node:stream";
import { db } from "@/lib/db/client";
import type { StepContext } from "@/lib/jobs/define-flow";
import { PermanentJobError } from "@/lib/jobs/define-job";
import { marketDriverFor, marketOriginInclude } from "@/lib/markets/market-spec";
import { sweepUnfinished } from "@/lib/markets/sweep-unfinished";
import { LimitExceededError } from "@/lib/transfer/meter";
import { runTransfer } from "@/lib/transfer/pipeline";

/**
 * The driver of a marketplace a step writes into, with its zone: an http app's source is
 * that zone's endpoint, whichever process writes it.
 */
export async function marketOf(marketplaceId: number) {
  const row = await db().marketplace.findUnique({ where: { id: marketplaceId }, include: marketOriginInclude });
  if (!row) throw new PermanentJobError("the marketplace was deleted");
  return marketDriverFor(row);
}

/** What was read, for the caller to compare with what it expected (throw to refuse it). */
export interface ReadBytes {
  bytes: number;
  md5: string;
  sha256: string;
}

/**
 * Writes an app's object into a marketplace (a publish's upload, a copy's): source →
 * md5+sha256 → market driver (a temporary file or an S3 multipart upload, invisible until
 * commit). `check` sees what was read before anything is committed, and the stored object
 * must have `size` bytes, or nothing stays. Each attempt writes anew.
 */
export async function writeAppObject(
  ctx: StepContext,
  opts: {
    marketplaceId: number;
    storageKey: string;
    size: number;
    open: (signal: AbortSignal) => Promise<Readable>;
    check: (read: ReadBytes) => void;
    /** refuse to read more than this many bytes (a source that sends more is not the app) */
    limit?: { bytes: number; message: string };
  },
): Promise<{ size: number; md5: string; sha256: string; source: string }> {
  const market = await marketOf(opts.marketplaceId);
  const { size, storageKey } = opts;
  // what an attempt that died left under this app's key (this attempt holds the lease)
  await market.abortStaleUploads((key) => key !== storageKey);
  const handle = await market.beginWrite(storageKey, { size, signal: ctx.signal });
  let source: Readable | undefined;
  try {
    source = await opts.open(ctx.signal);
    const result = await runTransfer({
      source,
      sink: handle.stream,
      signal: ctx.signal,
      decompress: false,
      limit: opts.limit?.bytes,
      limitMessage: opts.limit?.message,
      onSourceBytes: (bytes) => ctx.progress({ bytesDone: bytes }),
    });
    opts.check(result);
    ctx.signal.throwIfAborted();
    await ctx.fence();
    const { size: written } = await handle.commit();
    const stored = await market.stat(storageKey);
    if (written !== size || stored?.size !== size) {
      await market.delete(storageKey).catch(() => {});
      throw new PermanentJobError(
        `the marketplace stored ${stored?.size ?? "no"} bytes instead of ${size}; the object was removed`,
      );
    }
    return { size, md5: result.md5, sha256: result.sha256, source: market.sourceOf(storageKey) };
  } catch (err) {
    source?.destroy();
    await handle.abort();
    if (err instanceof LimitExceededError) throw new PermanentJobError(err.message);
    throw err;
  }
}

/**
 * Undoes writeAppObject: a commit that happened before the failure, an unfinished write of a
 * dead attempt (its app is still LOCKED, so the sweep below would keep it), parts a dead
 * service kept.
 */
export async function removeAppObject(marketplaceId: number, storageKey: string): Promise<void> {
  const market = await marketOf(marketplaceId);
  await market.delete(storageKey);
  await market.abortStaleUploads((key) => key !== storageKey);
  await sweepUnfinished(marketplaceId, market);
}

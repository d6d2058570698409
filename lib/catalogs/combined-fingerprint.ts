import { createHash } from "node:crypto";
import type { Readable } from "node:stream";
import { db } from "@/lib/db/client";

/** Under way in this process, by app, version and metadata. */
const running = new Map<string, Promise<string>>();
/** One disk read at a time: a first listing of many apps does not read them all at once. */
let queue: Promise<unknown> = Promise.resolve();
/** A read that stalls longer is given up (and tried again by a later listing), freeing the queue. */
const READ_LIMIT_MS = 30 * 60_000;

/**
 * Incus names a VM image by sha256(metadata tarball ‖ disk) (`combined_disk-kvm-img_sha256`),
 * which the disk's own sha256 cannot give. The disk is read once per app, version and metadata,
 * one disk at a time per process, and the result is kept on the app (`incusFingerprint`), so
 * every instance knows it from then on. A failed read is not kept: the next listing tries again.
 */
export function combinedSha256(
  app: { id: number; sha256: string; incusFingerprint: string },
  meta: Buffer,
  metaSha256: string,
  open: (signal: AbortSignal) => Promise<Readable>,
): Promise<string> {
  if (app.incusFingerprint.startsWith(`${metaSha256}:`))
    return Promise.resolve(app.incusFingerprint.slice(metaSha256.length + 1));
  const key = `${app.id}:${app.sha256}:${metaSha256}`;
  let found = running.get(key);
  if (!found) {
    found = queue.then(async () => {
      const hash = createHash("sha256").update(meta);
      const signal = AbortSignal.timeout(READ_LIMIT_MS);
      const body = await open(signal);
      signal.addEventListener("abort", () => body.destroy(signal.reason as Error), { once: true });
      for await (const chunk of body) hash.update(chunk as Buffer);
      const combined = hash.digest("hex");
      // only while the app still has those bytes
      await db().marketplaceApp.updateMany({
        where: { id: app.id, sha256: app.sha256 },
        data: { incusFingerprint: `${metaSha256}:${combined}` },
      });
      return combined;
    });
    queue = found.catch(() => undefined);
    running.set(key, found);
    found.then(
      () => running.delete(key),
      () => running.delete(key),
    );
  }
  return found;
}

/** The value when it is ready within `ms`, else null (it goes on being computed). */
export async function within<T>(promise: Promise<T>, ms: number): Promise<T | null> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), ms)));
  try {
    return await Promise.race([promise.catch(() => null), late]);
  } finally {
    clearTimeout(timer);
  }
}

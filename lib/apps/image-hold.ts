import type { DbLike } from "@/lib/auth/context";

/**
 * An image is USED while something reads its bytes (OpenNebula's clone counter): it cannot be
 * deleted or changed meanwhile. Hold and release are single conditional updates run in the
 * transaction that starts or ends the reading, so concurrent readers never make it drift.
 */
export async function holdImage(tx: DbLike, imageId: number): Promise<boolean> {
  const { count } = await tx.image.updateMany({
    where: { id: imageId, state: { in: ["READY", "USED"] } },
    data: { state: "USED", readers: { increment: 1 } },
  });
  return count === 1;
}

export async function releaseImage(tx: DbLike, imageId: number | null): Promise<void> {
  if (imageId === null) return;
  await tx.image.updateMany({ where: { id: imageId, readers: { gt: 0 } }, data: { readers: { decrement: 1 } } });
  await tx.image.updateMany({ where: { id: imageId, readers: 0, state: "USED" }, data: { state: "READY" } });
}

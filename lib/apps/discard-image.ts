import { db } from "@/lib/db/client";
import { failImage } from "@/lib/images/fail-image";

/**
 * Removes an image an import created and could not finish: its bytes (and temporary files)
 * first, then the row. The reason stays on the import's job; nothing half-imported remains.
 */
export async function discardImage(imageId: number): Promise<void> {
  await failImage(imageId, "import failed");
  await db().image.deleteMany({ where: { id: imageId, state: { not: "READY" } } });
}

import { db } from "@/lib/db/client";
import { subjectOf, type Ctx } from "@/lib/auth/context";
import { forbidden, notFound } from "@/lib/errors";
import { decide, type Operation } from "@/lib/permissions/operations";
import { whereHolds } from "@/lib/permissions/visibility";
import { imageInclude } from "./image-dto";

/** A local-zone image the user may see (404 otherwise), checked for `op` (403). */
export async function findImage(ctx: Ctx, id: number, op: Operation = "show") {
  const img = await (ctx.tx ?? db()).image.findFirst({
    where: { AND: [{ id, zoneId: ctx.zone.id }, whereHolds(subjectOf(ctx))] },
    include: imageInclude,
  });
  if (!img) throw notFound(`Image ${id}`);
  const decision = decide(subjectOf(ctx), img, op);
  if (!decision.allowed) throw forbidden(`You may not ${op} image ${img.name}: ${decision.reason}`);
  return img;
}

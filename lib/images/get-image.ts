import { db } from "@/lib/db/client";
import { subjectOf, type Ctx } from "@/lib/auth/context";
import { findImage } from "./find-image";
import { latestJobs, toImageDto } from "./image-dto";

export async function getImage({ ctx, input }: { ctx: Ctx; input: { id: number } }) {
  const img = await findImage(ctx, input.id);
  const jobs = await latestJobs(ctx.tx ?? db(), [img.id]);
  return toImageDto(img, subjectOf(ctx), jobs.get(img.id) ?? null);
}

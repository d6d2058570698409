import { db } from "@/lib/db/client";
import { subjectOf, type Ctx } from "@/lib/auth/context";
import { findServiceTemplate } from "./find-service-template";
import { serviceTemplateDtos } from "./service-template-dto";

export async function getServiceTemplate({ ctx, input }: { ctx: Ctx; input: { id: number } }) {
  const row = await findServiceTemplate(ctx, input.id);
  return (await serviceTemplateDtos(ctx.tx ?? db(), [row], subjectOf(ctx)))[0];
}

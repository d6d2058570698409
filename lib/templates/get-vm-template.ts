import { db } from "@/lib/db/client";
import { subjectOf, type Ctx } from "@/lib/auth/context";
import { findVmTemplate } from "./find-vm-template";
import { vmTemplateDtos } from "./vm-template-dto";

export async function getVmTemplate({ ctx, input }: { ctx: Ctx; input: { id: number } }) {
  const row = await findVmTemplate(ctx, input.id);
  return (await vmTemplateDtos(ctx.tx ?? db(), [row], subjectOf(ctx)))[0];
}

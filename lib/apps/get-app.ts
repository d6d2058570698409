import { db } from "@/lib/db/client";
import { subjectOf, type Ctx } from "@/lib/auth/context";
import { appJobs, toAppDetailDto, toAppDto, type AppRow } from "./app-dto";
import { findApp } from "./find-app";

export async function appDtoFor(ctx: Ctx, row: AppRow) {
  const jobs = await appJobs(db(), [row.id]);
  return toAppDto(row, subjectOf(ctx), jobs.get(row.id) ?? null);
}

export async function getApp({ ctx, input }: { ctx: Ctx; input: { id: number } }) {
  return toAppDetailDto(db(), await findApp(ctx, input.id), subjectOf(ctx));
}

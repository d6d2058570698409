import { db } from "@/lib/db/client";
import type { Ctx } from "@/lib/auth/context";
import { appJobs, toAppDetailDto, toAppDto, type AppRow } from "./app-dto";
import { findApp } from "./find-app";

export async function appDtoFor(row: AppRow) {
  const jobs = await appJobs(db(), [row.id]);
  return toAppDto(row, jobs.get(row.id) ?? null);
}

/** With the child tree and parents, as a single-app view shows them. */
export async function appDetailFor(row: AppRow) {
  return toAppDetailDto(db(), row);
}

export async function getApp({ ctx, input }: { ctx: Ctx; input: { id: number } }) {
  return appDetailFor(await findApp(ctx, input.id));
}

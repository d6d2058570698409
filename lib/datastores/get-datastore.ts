import type { Ctx } from "@/lib/auth/context";
import { toDatastoreDto } from "./datastore-dto";
import { findDatastore } from "./find-datastore";

export async function getDatastore({ ctx, input }: { ctx: Ctx; input: { id: number } }) {
  return toDatastoreDto(await findDatastore(ctx, input.id));
}

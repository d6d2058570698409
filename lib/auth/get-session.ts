import { db } from "@/lib/db/client";
import type { Ctx } from "@/lib/auth/context";
import { toMeDto } from "@/lib/users/user-dto";
import { getLocalZone } from "@/lib/zones/zone-services";

/** The signed-in user as they see themselves, and the zone they are signed in to. */
export async function getSession({ ctx }: { ctx: Ctx }) {
  return { user: await toMeDto(db(), ctx.user), zone: await getLocalZone({ ctx }) };
}

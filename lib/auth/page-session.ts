import "server-only";
import { cache } from "react";
import { cookies } from "next/headers";
import { db } from "@/lib/db/client";
import { loadCtxUser } from "@/lib/auth/load-user";
import { resolveSession, SESSION_COOKIE } from "@/lib/auth/sessions";
import { toMeDto } from "@/lib/users/user-dto";
import { localZone } from "@/lib/zones/local-zone";

/** The signed-in user for a Server Component (pages and layouts), or null; once per request. */
export const getPageSession = cache(async () => {
  const token = (await cookies()).get(SESSION_COOKIE)?.value;
  if (!token) return null;
  const session = await resolveSession(db(), token);
  if (!session) return null;
  const user = await loadCtxUser(db(), session.userId);
  if (!user) return null;
  return { user: await toMeDto(db(), user), zone: await localZone() };
});

export type PageSession = NonNullable<Awaited<ReturnType<typeof getPageSession>>>;

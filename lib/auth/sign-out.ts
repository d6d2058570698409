import { db } from "@/lib/db/client";
import type { Ctx } from "@/lib/auth/context";
import { recordAudit } from "@/lib/audit/record-audit";
import { endSession, readCookie, SESSION_COOKIE } from "@/lib/auth/sessions";

/** Ends the cookie's session; signing out without one is not an error. */
export async function signOut({ ctx, input }: { ctx: Ctx | null; input: { cookieHeader: string | null } }) {
  const token = readCookie(input.cookieHeader, SESSION_COOKIE);
  if (token) await endSession(db(), token);
  if (ctx)
    await recordAudit(ctx, {
      action: "session.sign-out",
      objectType: "USER",
      objectId: ctx.user.id,
      objectName: ctx.user.username,
    });
}

import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { recordAudit } from "@/lib/audit/record-audit";
import { dummyPasswordHash, verifyPassword } from "@/lib/auth/password";
import { attemptSucceeded, countAttempt } from "@/lib/auth/login-throttle";
import { createSession } from "@/lib/auth/sessions";
import { loadCtxUser } from "@/lib/auth/load-user";
import { localZone } from "@/lib/zones/local-zone";
import type { Ctx } from "@/lib/auth/context";

export interface SignInInput {
  username: string;
  password: string;
  /** the client's address; null when unknown (the request did not come through the server) */
  ip: string | null;
  userAgent: string;
  requestId: string;
}

const WRONG = "Wrong username or password";

/** Checks the password (with throttling) and opens a session. */
export async function signIn({ input }: { input: SignInInput }): Promise<{ token: string; ctx: Ctx }> {
  const client = db();
  const username = input.username.trim().toLowerCase();
  // Counted before the password is checked, so that parallel guesses cannot outrun the limit.
  const attempt = await countAttempt(client, username, input.ip);
  if (!attempt.allowed) {
    const wait = attempt.retryAfterSeconds;
    throw new AppError(
      "TOO_MANY_REQUESTS",
      `Too many failed sign-ins; try again in ${Math.ceil(wait / 60)} minute(s)`,
      {
        retryAfterSeconds: wait,
      },
    );
  }
  const user = await client.user.findUnique({ where: { username } });
  // Verify against a dummy hash for unknown users so timing does not reveal who exists.
  const ok = await verifyPassword(input.password, user?.passwordHash ?? (await dummyPasswordHash()));
  const zone = await localZone();
  if (!user || !ok) {
    await recordAudit(
      { actorName: username, zoneName: zone.name, requestId: input.requestId },
      {
        action: "session.sign-in-failed",
        objectType: "USER",
        objectId: user?.id,
        objectName: username,
        details: { ip: input.ip },
      },
    );
    throw new AppError("UNAUTHENTICATED", WRONG, { invalidParams: [{ name: "password", reason: WRONG }] });
  }
  await attemptSucceeded(client, username, input.ip);
  const ctxUser = user.enabled ? await loadCtxUser(client, user.id) : null;
  if (!ctxUser) {
    throw new AppError("UNAUTHENTICATED", "This account is disabled; ask an administrator", {
      invalidParams: [{ name: "username", reason: "account is disabled" }],
    });
  }
  const { token, id } = await createSession(client, user.id, { ip: input.ip ?? "", userAgent: input.userAgent });
  const ctx: Ctx = { user: ctxUser, zone, requestId: input.requestId, via: "session", sessionId: id };
  await recordAudit(ctx, {
    action: "session.sign-in",
    objectType: "USER",
    objectId: user.id,
    objectName: user.username,
    details: { ip: input.ip },
  });
  return { token, ctx };
}

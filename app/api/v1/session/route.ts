import { session as ops } from "@/lib/api/operations";
import { isSecureRequest, jsonResponse, withApi } from "@/lib/api/with-api";
import { clientAddressOf } from "@/lib/auth/client-address";
import { signIn } from "@/lib/auth/sign-in";
import { signOut } from "@/lib/auth/sign-out";
import { toMeDto } from "@/lib/users/user-dto";
import { getZone } from "@/lib/zones/zone-services";
import { sessionCookie, clearedSessionCookie } from "@/lib/auth/sessions";
import { db } from "@/lib/db/client";

export const POST = withApi(ops.signIn, async ({ body, req, requestId }) => {
  const { token, ctx } = await signIn({
    input: { ...body, ip: clientAddressOf(req), userAgent: req.headers.get("user-agent") ?? "", requestId },
  });
  const data = { user: await toMeDto(db(), ctx.user), zone: await getZone({ ctx, input: { id: ctx.zone.id } }) };
  return jsonResponse(ops.signIn, data, requestId, {
    headers: { "set-cookie": sessionCookie(token, isSecureRequest(req)) },
  });
});

export const GET = withApi(ops.getSession, async ({ ctx }) => ({
  user: await toMeDto(db(), ctx.user),
  zone: await getZone({ ctx, input: { id: ctx.zone.id } }),
}));

export const DELETE = withApi(ops.signOut, async ({ ctx, req }) => {
  await signOut({ ctx, input: { cookieHeader: req.headers.get("cookie") } });
  return new Response(null, { status: 204, headers: { "set-cookie": clearedSessionCookie(isSecureRequest(req)) } });
});

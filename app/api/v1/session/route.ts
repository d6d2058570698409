import { session as ops } from "@/lib/api/operations";
import { isSecureRequest, jsonResponse, withApi } from "@/lib/api/with-api";
import { clientAddressOf } from "@/lib/auth/client-address";
import { getSession } from "@/lib/auth/get-session";
import { signIn } from "@/lib/auth/sign-in";
import { signOut } from "@/lib/auth/sign-out";
import { sessionCookie, clearedSessionCookie } from "@/lib/auth/sessions";

export const POST = withApi(ops.signIn, async ({ body, req, requestId }) => {
  const { token, ctx } = await signIn({
    input: { ...body, ip: clientAddressOf(req), userAgent: req.headers.get("user-agent") ?? "", requestId },
  });
  return jsonResponse(ops.signIn, await getSession({ ctx }), requestId, {
    headers: { "set-cookie": sessionCookie(token, isSecureRequest(req)) },
  });
});

export const GET = withApi(ops.getSession, ({ ctx }) => getSession({ ctx }));

export const DELETE = withApi(ops.signOut, async ({ ctx, req }) => {
  await signOut({ ctx, input: { cookieHeader: req.headers.get("cookie") } });
  return new Response(null, { status: 204, headers: { "set-cookie": clearedSessionCookie(isSecureRequest(req)) } });
});

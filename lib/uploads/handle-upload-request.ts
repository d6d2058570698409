import { authenticate, errorResponse, requestIdOf } from "@/lib/api/with-api";
import { tusServer, withRequestUser } from "./tus-server";

/**
 * Route handler for the tus endpoints: our authentication and CSRF check first, then the tus
 * server, which learns the user through withRequestUser. The body is streamed straight
 * to disk; no proxy sits in front of this route (Next would buffer and truncate it).
 */
export async function handleUploadRequest(req: Request): Promise<Response> {
  const requestId = requestIdOf(req);
  try {
    const ctx = await authenticate(req, { auth: "user" }, requestId);
    const res = await withRequestUser(req, ctx!, (stamped) => tusServer().handleWeb(stamped));
    res.headers.set("x-request-id", requestId);
    return res;
  } catch (err) {
    return errorResponse(err, requestId, new URL(req.url).pathname);
  }
}

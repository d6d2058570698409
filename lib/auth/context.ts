import type { Db, Tx } from "@/lib/db/client";
import type { ResourceType } from "@/lib/permissions/resources";
import type { Subject } from "@/lib/permissions/rights";

/** Who is acting, where, and in which request. Every service takes `{ ctx, input }`. */
export interface CtxUser {
  id: number;
  username: string;
  displayName: string;
  email: string;
  primaryGroupId: number;
  groupIds: number[];
  isAdmin: boolean;
  /** effective umask (the user's own, or the configured default) */
  umask: string;
  createRights: ResourceType[];
}

export interface Ctx {
  user: CtxUser;
  zone: { id: number; name: string };
  requestId: string;
  via: "session" | "token" | "system";
  /** set when the service runs inside a caller's transaction */
  tx?: Tx;
  /** the session id (hash) when signed in with a cookie */
  sessionId?: string;
}

export const subjectOf = (ctx: Ctx): Subject => ({
  userId: ctx.user.id,
  groupIds: ctx.user.groupIds,
  isAdmin: ctx.user.isAdmin,
});

export type DbLike = Db | Tx;

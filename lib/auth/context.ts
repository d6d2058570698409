import type { Db, Tx } from "@/lib/db/client";
import type { ResourceType } from "@/lib/permissions/resources";
import type { Subject } from "@/lib/permissions/rights";
import type { VdcGrants } from "@/lib/permissions/vdc-grants";

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
  /** what the VDCs of the user's groups grant */
  grants?: VdcGrants;
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
  grants: ctx.user.grants,
});

export type DbLike = Db | Tx;

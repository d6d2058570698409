import type { z } from "zod";
import { db } from "@/lib/db/client";
import type { Ctx } from "@/lib/auth/context";
import type { createUser as op } from "@/lib/api/operations/users";
import { conflict, forbidden, isUniqueViolation } from "@/lib/errors";
import { hashPassword } from "@/lib/auth/password";
import { recordAudit } from "@/lib/audit/record-audit";
import { defaultGroupId, existingGroupIds } from "./guards";
import { toUserDto, userInclude } from "./user-dto";

type Input = z.output<NonNullable<typeof op.body>>;

export async function createUser({ ctx, input }: { ctx: Ctx; input: Input }) {
  if (!ctx.user.isAdmin) throw forbidden("Only admins may create users");
  const passwordHash = await hashPassword(input.password);
  try {
    return await db().$transaction(async (tx) => {
      if (await tx.user.findUnique({ where: { username: input.username } })) {
        throw conflict("username", `the username "${input.username}" is taken`);
      }
      const primaryGroupId = input.primaryGroupId
        ? (await existingGroupIds(tx, [input.primaryGroupId], "primaryGroupId"))[0]
        : await defaultGroupId(tx);
      const groupIds = await existingGroupIds(tx, [primaryGroupId, ...input.groupIds], "groupIds");
      const user = await tx.user.create({
        data: {
          username: input.username,
          passwordHash,
          displayName: input.displayName,
          email: input.email,
          enabled: input.enabled,
          umask: input.umask,
          primaryGroupId,
          memberships: { create: groupIds.map((groupId) => ({ groupId })) },
        },
        include: userInclude,
      });
      await recordAudit(
        { ...ctx, tx },
        {
          action: "user.create",
          objectType: "USER",
          objectId: user.id,
          objectName: user.username,
          details: { primaryGroupId, groupIds, enabled: input.enabled },
        },
      );
      return toUserDto(user);
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict("username", `the username "${input.username}" is taken`);
    throw err;
  }
}

import { db } from "@/lib/db/client";
import type { Ctx } from "@/lib/auth/context";
import { conflict, isUniqueViolation } from "@/lib/errors";
import { newTokenSecret } from "@/lib/auth/api-tokens";
import { recordAudit } from "@/lib/audit/record-audit";
import { toTokenDto } from "./token-dto";

const MAX_TOKENS = 50;

/** Creates a token for the acting user; the secret is returned here and never again. */
export async function createToken({ ctx, input }: { ctx: Ctx; input: { name: string; expiresInDays: number } }) {
  const { token, prefix, secretHash } = newTokenSecret();
  try {
    return await db().$transaction(async (tx) => {
      if (await tx.apiToken.findFirst({ where: { userId: ctx.user.id, name: input.name } })) {
        throw conflict("name", `you already have a token named "${input.name}"`);
      }
      if ((await tx.apiToken.count({ where: { userId: ctx.user.id } })) >= MAX_TOKENS) {
        throw conflict("name", `you have ${MAX_TOKENS} tokens; revoke one first`);
      }
      const row = await tx.apiToken.create({
        data: {
          userId: ctx.user.id,
          name: input.name,
          prefix,
          secretHash,
          expiresAt: new Date(Date.now() + input.expiresInDays * 86_400_000),
        },
      });
      await recordAudit(
        { ...ctx, tx },
        {
          action: "token.create",
          objectType: "API_TOKEN",
          objectId: row.id,
          objectName: row.name,
          details: { prefix, expiresAt: row.expiresAt.toISOString() },
        },
      );
      return { ...toTokenDto(row), token };
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict("name", `you already have a token named "${input.name}"`);
    throw err;
  }
}

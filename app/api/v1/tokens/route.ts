import { profile as ops } from "@/lib/api/operations";
import { withApi } from "@/lib/api/with-api";
import { listTokens } from "@/lib/tokens/list-tokens";
import { createToken } from "@/lib/tokens/create-token";

export const GET = withApi(ops.listTokens, ({ ctx }) => listTokens({ ctx }));
export const POST = withApi(ops.createToken, ({ ctx, body }) => createToken({ ctx, input: body }));

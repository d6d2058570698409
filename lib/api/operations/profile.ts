import { z } from "zod";
import { defineOperation } from "@/lib/api/operation";
import { idParams, password, timestamp } from "@/lib/api/schemas";
import { meDto } from "./session";

export const tokenDto = z.object({
  id: z.number().int(),
  name: z.string(),
  prefix: z.string(),
  createdAt: timestamp,
  expiresAt: timestamp,
  lastUsedAt: timestamp.nullable(),
  expired: z.boolean(),
});
export type TokenDto = z.infer<typeof tokenDto>;

export const updateProfile = defineOperation({
  id: "updateProfile",
  method: "PATCH",
  path: "/api/v1/profile",
  summary: "Change your display name or e-mail",
  tag: "Profile",
  auth: "user",
  body: z
    .object({
      displayName: z.string().trim().max(128, "must be at most 128 characters"),
      email: z.union([z.literal(""), z.email("must be an e-mail address")]),
    })
    .partial(),
  response: meDto,
});

export const changePassword = defineOperation({
  id: "changePassword",
  method: "POST",
  path: "/api/v1/profile/password",
  summary: "Change your password (other sessions are ended)",
  tag: "Profile",
  auth: "user",
  body: z.object({ currentPassword: z.string().min(1, "is required").max(256), newPassword: password }),
  status: 204,
});

export const listTokens = defineOperation({
  id: "listTokens",
  method: "GET",
  path: "/api/v1/tokens",
  summary: "Your API tokens (never their secrets)",
  tag: "Profile",
  auth: "user",
  response: z.object({ items: z.array(tokenDto) }),
});

export const createToken = defineOperation({
  id: "createToken",
  method: "POST",
  path: "/api/v1/tokens",
  summary: "Create an API token; the secret is in this response only",
  tag: "Profile",
  auth: "user",
  body: z.object({
    name: z
      .string()
      .trim()
      .min(1, "is required")
      .max(64, "must be at most 64 characters")
      // letters of any script: checked here rather than as a pattern in the OpenAPI document,
      // since most non-JavaScript tools cannot run \p{L}
      .refine((v) => /^[\p{L}\p{N} ._-]+$/u.test(v), "letters, digits, spaces, '.', '_' or '-'")
      .meta({ description: "letters (any script), digits, spaces, '.', '_' or '-'" }),
    expiresInDays: z.number().int().min(1, "must be at least 1 day").max(365, "must be at most 365 days"),
  }),
  response: tokenDto.extend({ token: z.string() }),
  status: 201,
});

export const revokeToken = defineOperation({
  id: "revokeToken",
  method: "DELETE",
  path: "/api/v1/tokens/{id}",
  summary: "Revoke one of your API tokens",
  tag: "Profile",
  auth: "user",
  params: idParams,
  status: 204,
});

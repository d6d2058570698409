import { z } from "zod";
import { defineOperation } from "@/lib/api/operation";
import { idParams, timestamp } from "@/lib/api/schemas";
import { changePasswordBody, profileFields } from "@/lib/users/user-schemas";
import { createTokenBody } from "@/lib/tokens/token-schemas";
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
  body: profileFields.partial(),
  response: meDto,
});

export const changePassword = defineOperation({
  id: "changePassword",
  method: "POST",
  path: "/api/v1/profile/password",
  summary: "Change your password (other sessions are ended)",
  tag: "Profile",
  auth: "user",
  body: changePasswordBody,
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
  body: createTokenBody,
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

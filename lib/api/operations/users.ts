import { z } from "zod";
import { defineOperation } from "@/lib/api/operation";
import {
  idParams,
  listQuery,
  pageOf,
  password,
  ref,
  timestamp,
  umask,
  username,
  queryBool,
  urlId,
  dbId,
} from "@/lib/api/schemas";

export const userDto = z.object({
  id: z.number().int(),
  username: z.string(),
  displayName: z.string(),
  email: z.string(),
  enabled: z.boolean(),
  isAdmin: z.boolean(),
  umask: z.string().nullable(),
  primaryGroup: ref,
  groups: z.array(ref),
  createdAt: timestamp,
  updatedAt: timestamp,
});
export type UserDto = z.infer<typeof userDto>;

const displayName = z.string().trim().max(128, "must be at most 128 characters");
const email = z.union([z.literal(""), z.email("must be an e-mail address")]);

export const listUsers = defineOperation({
  id: "listUsers",
  method: "GET",
  path: "/api/v1/users",
  summary: "List users (admins)",
  tag: "Users",
  auth: "admin",
  query: listQuery(["id", "username", "displayName", "createdAt"] as const).extend({
    groupId: urlId().optional(),
    enabled: queryBool.optional(),
  }),
  response: pageOf(userDto),
});

export const createUser = defineOperation({
  id: "createUser",
  method: "POST",
  path: "/api/v1/users",
  summary: "Create a user (admins)",
  tag: "Users",
  auth: "admin",
  body: z.object({
    username,
    password,
    displayName: displayName.default(""),
    email: email.default(""),
    primaryGroupId: dbId.optional(),
    groupIds: z.array(dbId).max(100).default([]),
    enabled: z.boolean().default(true),
    umask: umask.nullable().default(null),
  }),
  response: userDto,
  status: 201,
});

export const getUser = defineOperation({
  id: "getUser",
  method: "GET",
  path: "/api/v1/users/{id}",
  summary: "A user (admins, or the user themself)",
  tag: "Users",
  auth: "user",
  params: idParams,
  response: userDto,
});

export const updateUser = defineOperation({
  id: "updateUser",
  method: "PATCH",
  path: "/api/v1/users/{id}",
  summary: "Edit, enable or disable a user, or change their groups (admins)",
  tag: "Users",
  auth: "admin",
  params: idParams,
  body: z
    .object({
      displayName,
      email,
      enabled: z.boolean(),
      umask: umask.nullable(),
      primaryGroupId: dbId,
      groupIds: z.array(dbId).max(100),
    })
    .partial()
    .refine((v) => Object.keys(v).length > 0, "give at least one field to change"),
  response: userDto,
});

export const deleteUser = defineOperation({
  id: "deleteUser",
  method: "DELETE",
  path: "/api/v1/users/{id}",
  summary: "Delete a user (admins)",
  tag: "Users",
  auth: "admin",
  params: idParams,
  status: 204,
});

export const resetPassword = defineOperation({
  id: "resetPassword",
  method: "POST",
  path: "/api/v1/users/{id}/password",
  summary: "Set a new password for a user and end their sessions (admins)",
  tag: "Users",
  auth: "admin",
  params: idParams,
  body: z.object({ password }),
  status: 204,
});

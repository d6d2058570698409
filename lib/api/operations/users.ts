import { z } from "zod";
import { defineOperation } from "@/lib/api/operation";
import { idParams, listQuery, pageOf, ref, timestamp, queryBool, urlId } from "@/lib/api/schemas";
import { createUserBody, resetPasswordBody, userFields } from "@/lib/users/user-schemas";

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
  body: createUserBody,
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
  body: userFields.partial().refine((v) => Object.keys(v).length > 0, "give at least one field to change"),
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
  body: resetPasswordBody,
  status: 204,
});

import { z } from "zod";
import { defineOperation } from "@/lib/api/operation";
import { idParams, listQuery, pageOf, ref, resourceType, timestamp, urlId, dbId } from "@/lib/api/schemas";
import { createGroupBody, groupFields } from "@/lib/groups/group-schemas";

export const groupDto = z.object({
  id: z.number().int(),
  name: z.string(),
  description: z.string(),
  builtin: z.boolean(),
  memberCount: z.number().int(),
  createRights: z.array(resourceType),
  createdAt: timestamp,
});
export type GroupDto = z.infer<typeof groupDto>;

export const groupDetailDto = groupDto.extend({
  members: z.array(ref.extend({ primary: z.boolean() })),
});
export type GroupDetailDto = z.infer<typeof groupDetailDto>;

export const listGroups = defineOperation({
  id: "listGroups",
  method: "GET",
  path: "/api/v1/groups",
  summary: "List groups (admins see all; others their own)",
  tag: "Groups",
  auth: "user",
  query: listQuery(["id", "name", "createdAt"] as const),
  response: pageOf(groupDto),
});

export const createGroup = defineOperation({
  id: "createGroup",
  method: "POST",
  path: "/api/v1/groups",
  summary: "Create a group (admins)",
  tag: "Groups",
  auth: "admin",
  body: createGroupBody,
  response: groupDetailDto,
  status: 201,
});

export const getGroup = defineOperation({
  id: "getGroup",
  method: "GET",
  path: "/api/v1/groups/{id}",
  summary: "A group with its members",
  tag: "Groups",
  auth: "user",
  params: idParams,
  response: groupDetailDto,
});

export const updateGroup = defineOperation({
  id: "updateGroup",
  method: "PATCH",
  path: "/api/v1/groups/{id}",
  summary: "Rename a group, edit its description or its create rights (admins)",
  tag: "Groups",
  auth: "admin",
  params: idParams,
  body: groupFields.partial().refine((v) => Object.keys(v).length > 0, "give at least one field to change"),
  response: groupDetailDto,
});

export const deleteGroup = defineOperation({
  id: "deleteGroup",
  method: "DELETE",
  path: "/api/v1/groups/{id}",
  summary: "Delete an empty group (admins)",
  tag: "Groups",
  auth: "admin",
  params: idParams,
  status: 204,
});

export const addGroupMember = defineOperation({
  id: "addGroupMember",
  method: "POST",
  path: "/api/v1/groups/{id}/members",
  summary: "Add a user to a group (admins)",
  tag: "Groups",
  auth: "admin",
  params: idParams,
  body: z.object({ userId: dbId }),
  response: groupDetailDto,
});

export const removeGroupMember = defineOperation({
  id: "removeGroupMember",
  method: "DELETE",
  path: "/api/v1/groups/{id}/members/{userId}",
  summary: "Remove a user from a group (admins; not from their primary group)",
  tag: "Groups",
  auth: "admin",
  params: idParams.extend({ userId: urlId() }),
  response: groupDetailDto,
});

import { api } from "@/components/api/client";
import type { BodyOf, ListParams, Page } from "@/components/api/types";
import type {
  createGroup as createOp,
  GroupDetailDto,
  GroupDto,
  updateGroup as updateOp,
} from "@/lib/api/operations/groups";

export type { GroupDetailDto, GroupDto };
export type GroupFilters = ListParams;
export type CreateGroupInput = BodyOf<typeof createOp>;
export type UpdateGroupInput = BodyOf<typeof updateOp>;

export const listGroups = (filters: GroupFilters, signal?: AbortSignal) =>
  api<Page<GroupDto>>("/groups", { query: { ...filters }, signal });

export const getGroup = (id: number, signal?: AbortSignal) => api<GroupDetailDto>(`/groups/${id}`, { signal });

export const createGroup = (input: CreateGroupInput) => api<GroupDetailDto>("/groups", { method: "POST", body: input });

export const updateGroup = (id: number, patch: UpdateGroupInput) =>
  api<GroupDetailDto>(`/groups/${id}`, { method: "PATCH", body: patch });

export const deleteGroup = (id: number) => api<void>(`/groups/${id}`, { method: "DELETE" });

export const addGroupMember = (id: number, userId: number) =>
  api<GroupDetailDto>(`/groups/${id}/members`, { method: "POST", body: { userId } });

export const removeGroupMember = (id: number, userId: number) =>
  api<GroupDetailDto>(`/groups/${id}/members/${userId}`, { method: "DELETE" });

import { api } from "@/components/api/client";
import type { BodyOf, ListParams, Page } from "@/components/api/types";
import type { createUser as createOp, updateUser as updateOp, UserDto } from "@/lib/api/operations/users";

export type { UserDto };
export type UserFilters = ListParams & { groupId?: string; enabled?: string };
export type CreateUserInput = BodyOf<typeof createOp>;
export type UpdateUserInput = BodyOf<typeof updateOp>;

export const listUsers = (filters: UserFilters, signal?: AbortSignal) =>
  api<Page<UserDto>>("/users", { query: { ...filters }, signal });

export const getUser = (id: number, signal?: AbortSignal) => api<UserDto>(`/users/${id}`, { signal });

export const createUser = (input: CreateUserInput) => api<UserDto>("/users", { method: "POST", body: input });

export const updateUser = (id: number, patch: UpdateUserInput) =>
  api<UserDto>(`/users/${id}`, { method: "PATCH", body: patch });

export const deleteUser = (id: number) => api<void>(`/users/${id}`, { method: "DELETE" });

export const resetPassword = (id: number, password: string) =>
  api<void>(`/users/${id}/password`, { method: "POST", body: { password } });

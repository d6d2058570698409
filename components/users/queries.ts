"use client";

import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { createQueryKeys } from "@/components/api/query-keys";
import { groupKeys } from "@/components/groups/queries";
import * as usersApi from "./api";
import type { UpdateUserInput, UserFilters } from "./api";

export const userKeys = createQueryKeys<"users", UserFilters>("users");

export function useUsers(filters: UserFilters) {
  return useQuery({
    queryKey: userKeys.list(filters),
    queryFn: ({ signal }) => usersApi.listUsers(filters, signal),
    placeholderData: keepPreviousData,
  });
}

export function useUser(id: number) {
  return useQuery({ queryKey: userKeys.detail(id), queryFn: ({ signal }) => usersApi.getUser(id, signal) });
}

/**
 * User changes move group member counts too. After a delete only lists are refreshed: the
 * deleted user's own detail query would just answer 404.
 */
function useInvalidateUsers(scope: "all" | "lists" = "all") {
  const qc = useQueryClient();
  return () =>
    Promise.all([
      qc.invalidateQueries({ queryKey: scope === "all" ? userKeys.all : userKeys.lists() }),
      qc.invalidateQueries({ queryKey: groupKeys.all }),
    ]);
}

export function useCreateUser() {
  const invalidate = useInvalidateUsers();
  return useMutation({ mutationFn: usersApi.createUser, onSettled: invalidate });
}

export function useUpdateUser() {
  const invalidate = useInvalidateUsers();
  return useMutation({
    mutationFn: ({ id, patch }: { id: number; patch: UpdateUserInput }) => usersApi.updateUser(id, patch),
    onSettled: invalidate,
  });
}

export function useDeleteUser() {
  const invalidate = useInvalidateUsers("lists");
  return useMutation({ mutationFn: usersApi.deleteUser, onSettled: invalidate });
}

export function useResetPassword() {
  return useMutation({
    mutationFn: ({ id, password }: { id: number; password: string }) => usersApi.resetPassword(id, password),
  });
}

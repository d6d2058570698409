"use client";

import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { createQueryKeys } from "@/components/api/query-keys";
import { userKeys } from "@/components/users/queries";
import { vdcKeys } from "@/components/vdcs/queries";
import * as groupsApi from "./api";
import type { GroupFilters, UpdateGroupInput } from "./api";

export const groupKeys = createQueryKeys<"groups", GroupFilters>("groups");

export function useGroups(filters: GroupFilters) {
  return useQuery({
    queryKey: groupKeys.list(filters),
    queryFn: ({ signal }) => groupsApi.listGroups(filters, signal),
    placeholderData: keepPreviousData,
  });
}

/** Every group (up to the API's page limit) as Select options. */
export function useGroupOptions() {
  const query = useGroups({ page: 1, perPage: 200, sort: "name", order: "asc" });
  return query.data?.items.map((g) => ({ value: String(g.id), label: g.name })) ?? [];
}

export function useGroup(id: number) {
  return useQuery({ queryKey: groupKeys.detail(id), queryFn: ({ signal }) => groupsApi.getGroup(id, signal) });
}

/** Group changes show in users' group lists and in VDCs too; after a delete, only lists. */
function useInvalidateGroups(scope: "all" | "lists" = "all") {
  const qc = useQueryClient();
  return () =>
    Promise.all([
      qc.invalidateQueries({ queryKey: scope === "all" ? groupKeys.all : groupKeys.lists() }),
      qc.invalidateQueries({ queryKey: userKeys.all }),
      qc.invalidateQueries({ queryKey: vdcKeys.all }),
    ]);
}

export function useCreateGroup() {
  const invalidate = useInvalidateGroups();
  return useMutation({ mutationFn: groupsApi.createGroup, onSettled: invalidate });
}

export function useUpdateGroup() {
  const invalidate = useInvalidateGroups();
  return useMutation({
    mutationFn: ({ id, patch }: { id: number; patch: UpdateGroupInput }) => groupsApi.updateGroup(id, patch),
    onSettled: invalidate,
  });
}

export function useDeleteGroup() {
  const invalidate = useInvalidateGroups("lists");
  return useMutation({ mutationFn: groupsApi.deleteGroup, onSettled: invalidate });
}

export function useGroupMembership() {
  const invalidate = useInvalidateGroups();
  return useMutation({
    mutationFn: ({ id, userId, action }: { id: number; userId: number; action: "add" | "remove" }) =>
      action === "add" ? groupsApi.addGroupMember(id, userId) : groupsApi.removeGroupMember(id, userId),
    onSettled: invalidate,
  });
}

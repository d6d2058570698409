"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { listUsers, type UserFilters } from "@/components/users/api";
import { userKeys } from "@/components/users/queries";
import { vdcKeys } from "@/components/vdcs/queries";
import * as permissionsApi from "./api";

const ALL_USERS: UserFilters = { page: 1, perPage: 200, sort: "username", order: "asc" };

/** Users as owner choices; only admins may list users (and give objects away). */
export function useOwnerOptions(enabled: boolean) {
  const query = useQuery({
    queryKey: userKeys.list(ALL_USERS),
    queryFn: ({ signal }) => listUsers(ALL_USERS, signal),
    enabled,
  });
  return query.data?.items.map((u) => ({ value: String(u.id), label: u.username })) ?? [];
}

/** The caller refetches the object (and its lists) in onChanged, whatever the outcome. */
export function useChmod(resourcePath: string, onChanged: () => void) {
  return useMutation({
    mutationFn: (octal: string) => permissionsApi.chmod(resourcePath, octal),
    onSettled: onChanged,
  });
}

export function useChown(resourcePath: string, onChanged: () => void) {
  return useMutation({
    mutationFn: (body: { ownerId?: number; groupId?: number }) => permissionsApi.chown(resourcePath, body),
    onSettled: onChanged,
  });
}

/** Under the VDCs' keys: a change to a VDC refreshes what it grants. */
export const vdcGrantKeys = (resourcePath: string) => [...vdcKeys.all, "grants", resourcePath] as const;

export function useVdcGrants(resourcePath: string) {
  return useQuery({
    queryKey: vdcGrantKeys(resourcePath),
    queryFn: ({ signal }) => permissionsApi.listVdcGrants(resourcePath, signal),
  });
}

"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { createQueryKeys } from "@/components/api/query-keys";
import { userKeys } from "@/components/users/queries";
import * as profileApi from "./api";

export const tokenKeys = createQueryKeys<"tokens", void>("tokens");

export function useTokens() {
  return useQuery({ queryKey: tokenKeys.lists(), queryFn: ({ signal }) => profileApi.listTokens(signal) });
}

export function useCreateToken() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: profileApi.createToken,
    onSettled: () => qc.invalidateQueries({ queryKey: tokenKeys.all }),
  });
}

export function useRevokeToken() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: profileApi.revokeToken,
    onSettled: () => qc.invalidateQueries({ queryKey: tokenKeys.all }),
  });
}

export function useUpdateProfile() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: profileApi.updateProfile,
    onSettled: () => qc.invalidateQueries({ queryKey: userKeys.all }),
  });
}

export function useChangePassword() {
  return useMutation({ mutationFn: profileApi.changePassword });
}

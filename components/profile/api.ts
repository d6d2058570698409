import type { z } from "zod";
import { api } from "@/components/api/client";
import type { BodyOf } from "@/components/api/types";
import type { meDto } from "@/lib/api/operations/session";
import type {
  changePassword as changePasswordOp,
  createToken as createTokenOp,
  TokenDto,
  updateProfile as updateProfileOp,
} from "@/lib/api/operations/profile";

export type { TokenDto };
export type MeDto = z.infer<typeof meDto>;
export type CreatedTokenDto = TokenDto & { token: string };

export const updateProfile = (patch: BodyOf<typeof updateProfileOp>) =>
  api<MeDto>("/profile", { method: "PATCH", body: patch });

export const changePassword = (body: BodyOf<typeof changePasswordOp>) =>
  api<void>("/profile/password", { method: "POST", body });

export const listTokens = (signal?: AbortSignal) => api<{ items: TokenDto[] }>("/tokens", { signal });

export const createToken = (body: BodyOf<typeof createTokenOp>) =>
  api<CreatedTokenDto>("/tokens", { method: "POST", body });

export const revokeToken = (id: number) => api<void>(`/tokens/${id}`, { method: "DELETE" });

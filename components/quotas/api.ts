import { api } from "@/components/api/client";
import type { BodyOf } from "@/components/api/types";
import type { QuotasDto, setUserQuotas as setOp } from "@/lib/api/operations/quotas";

export type { QuotasDto };
export type QuotasInput = BodyOf<typeof setOp>;
export type QuotaUsage = QuotasDto["transfers"];
export type DatastoreQuotaDto = QuotasDto["datastores"][number];

/** Whose quotas: a user's or a group's (the API paths are the same but for the collection). */
export interface QuotaOwner {
  kind: "users" | "groups";
  id: number;
}

export const getQuotas = (owner: QuotaOwner, signal?: AbortSignal) =>
  api<QuotasDto>(`/${owner.kind}/${owner.id}/quotas`, { signal });

/** Replaces every quota of the user or group; a null limit is no limit. */
export const setQuotas = (owner: QuotaOwner, input: QuotasInput) =>
  api<QuotasDto>(`/${owner.kind}/${owner.id}/quotas`, { method: "PUT", body: input });

import { z } from "zod";
import { defineOperation } from "@/lib/api/operation";
import { idParams, ref } from "@/lib/api/schemas";
import { quotasInput, type QuotasInput } from "@/lib/quotas/quota-schemas";

const usage = z.object({ limit: z.number().nullable(), used: z.number() });

/** A user's or group's quotas with their usage: the transfers limit and one row per datastore. */
export const quotasDto = z.object({
  transfers: usage,
  /** the first row (datastore null) is all datastores together; then each datastore with a quota or images */
  datastores: z.array(z.object({ datastore: ref.nullable(), bytes: usage, images: usage })),
});
export type QuotasDto = z.infer<typeof quotasDto>;

export type { QuotasInput };

export const getUserQuotas = defineOperation({
  id: "getUserQuotas",
  method: "GET",
  path: "/api/v1/users/{id}/quotas",
  summary: "A user's quotas and usage (admins, and the user)",
  tag: "Quotas",
  auth: "user",
  params: idParams,
  response: quotasDto,
});

export const setUserQuotas = defineOperation({
  id: "setUserQuotas",
  method: "PUT",
  path: "/api/v1/users/{id}/quotas",
  summary: "Replace a user's quotas (admins); null limits are no limit",
  tag: "Quotas",
  auth: "admin",
  params: idParams,
  body: quotasInput,
  response: quotasDto,
});

export const getGroupQuotas = defineOperation({
  id: "getGroupQuotas",
  method: "GET",
  path: "/api/v1/groups/{id}/quotas",
  summary: "A group's quotas and usage (admins, and the group's members)",
  tag: "Quotas",
  auth: "user",
  params: idParams,
  response: quotasDto,
});

export const setGroupQuotas = defineOperation({
  id: "setGroupQuotas",
  method: "PUT",
  path: "/api/v1/groups/{id}/quotas",
  summary: "Replace a group's quotas (admins); null limits are no limit",
  tag: "Quotas",
  auth: "admin",
  params: idParams,
  body: quotasInput,
  response: quotasDto,
});

import { api } from "@/components/api/client";
import type { VdcGrantsDto } from "@/lib/api/operations/vdcs";

export type { VdcGrantsDto };

/** chmod and chown look the same on every shared object; `resourcePath` is e.g. "/datastores/5". */
export const chmod = (resourcePath: string, permissions: string) =>
  api<void>(`${resourcePath}/chmod`, { method: "POST", body: { permissions } });

export const chown = (resourcePath: string, body: { ownerId?: number; groupId?: number }) =>
  api<void>(`${resourcePath}/chown`, { method: "POST", body });

/** The VDCs that grant USE on a datastore, marketplace or app ("granted by VDC x"). */
export const listVdcGrants = (resourcePath: string, signal?: AbortSignal) =>
  api<VdcGrantsDto>(`${resourcePath}/grants`, { signal });

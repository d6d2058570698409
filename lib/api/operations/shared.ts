import { z } from "zod";
import { defineOperation } from "@/lib/api/operation";
import { idParams, dbId } from "@/lib/api/schemas";

/** chmod and chown look the same on every shared resource; one factory defines them. */
export function permissionOperations(collection: string, tag: string, label: string) {
  const chmod = defineOperation({
    id: `chmod${label.replace(/\s/g, "")}`,
    method: "POST",
    path: `/api/v1/${collection}/{id}/chmod`,
    summary: `Change the permissions of a ${label.toLowerCase()} (MANAGE; ADMIN for ADMIN bits)`,
    tag,
    auth: "user",
    params: idParams,
    body: z.object({ permissions: z.string().regex(/^[0-7]{3}$/, "must be three octal digits, e.g. 640") }),
    status: 204,
  });
  const chown = defineOperation({
    id: `chown${label.replace(/\s/g, "")}`,
    method: "POST",
    path: `/api/v1/${collection}/{id}/chown`,
    summary: `Change the owner and/or group of a ${label.toLowerCase()}`,
    tag,
    auth: "user",
    params: idParams,
    body: z
      .object({ ownerId: dbId, groupId: dbId })
      .partial()
      .refine((v) => v.ownerId !== undefined || v.groupId !== undefined, "give ownerId, groupId or both"),
    status: 204,
  });
  return { chmod, chown };
}

import { z } from "zod";
import { defineOperation } from "@/lib/api/operation";
import { idParams, listQuery, pageOf, ref, timestamp } from "@/lib/api/schemas";
import { createVdcBody, vdcFields, vdcResource } from "@/lib/vdcs/vdc-schemas";

export const vdcDto = z.object({
  id: z.number().int(),
  name: z.string(),
  description: z.string(),
  groups: z.array(ref),
  resources: z.array(vdcResource.extend({ zoneName: z.string(), resourceName: z.string().nullable() })),
  createdAt: timestamp,
  updatedAt: timestamp,
});
export type VdcDto = z.infer<typeof vdcDto>;

export const listVdcs = defineOperation({
  id: "listVdcs",
  method: "GET",
  path: "/api/v1/vdcs",
  summary: "List VDCs (admins see all; others those of their groups)",
  tag: "VDCs",
  auth: "user",
  query: listQuery(["id", "name", "createdAt"] as const),
  response: pageOf(vdcDto),
});

export const createVdc = defineOperation({
  id: "createVdc",
  method: "POST",
  path: "/api/v1/vdcs",
  summary: "Create a VDC (admins)",
  tag: "VDCs",
  auth: "admin",
  body: createVdcBody,
  response: vdcDto,
  status: 201,
});

export const getVdc = defineOperation({
  id: "getVdc",
  method: "GET",
  path: "/api/v1/vdcs/{id}",
  summary: "A VDC",
  tag: "VDCs",
  auth: "user",
  params: idParams,
  response: vdcDto,
});

export const updateVdc = defineOperation({
  id: "updateVdc",
  method: "PATCH",
  path: "/api/v1/vdcs/{id}",
  summary: "Edit a VDC: name, description, groups, resources (admins)",
  tag: "VDCs",
  auth: "admin",
  params: idParams,
  body: vdcFields.partial(),
  response: vdcDto,
});

export const deleteVdc = defineOperation({
  id: "deleteVdc",
  method: "DELETE",
  path: "/api/v1/vdcs/{id}",
  summary: "Delete a VDC (admins)",
  tag: "VDCs",
  auth: "admin",
  params: idParams,
  status: 204,
});

/** The VDCs that grant an object's USE to their groups (the Permissions tab's "granted by"). */
export const vdcGrantsDto = z.object({
  items: z.array(
    z.object({
      vdc: ref,
      /** granted as "every datastore (marketplace) of the zone" */
      allOfZone: z.boolean(),
      groups: z.array(ref),
    }),
  ),
});
export type VdcGrantsDto = z.infer<typeof vdcGrantsDto>;

const grantsOperation = (id: string, path: string, what: string) =>
  defineOperation({
    id,
    method: "GET",
    path,
    summary: `The VDCs that grant USE on ${what} (admins see all; others those of their groups)`,
    tag: "VDCs",
    auth: "user",
    params: idParams,
    response: vdcGrantsDto,
  });

export const getDatastoreGrants = grantsOperation(
  "getDatastoreGrants",
  "/api/v1/datastores/{id}/grants",
  "a datastore",
);
export const getMarketplaceGrants = grantsOperation(
  "getMarketplaceGrants",
  "/api/v1/marketplaces/{id}/grants",
  "a marketplace",
);
export const getAppGrants = grantsOperation(
  "getAppGrants",
  "/api/v1/apps/{id}/grants",
  "an app (through its marketplace)",
);

import { z } from "zod";
import { defineOperation } from "@/lib/api/operation";
import { ref, timestamp } from "@/lib/api/schemas";
import { signInBody } from "@/lib/users/user-schemas";
import { RESOURCE_TYPES } from "@/lib/permissions/resources";

export const zoneDto = z.object({
  id: z.number().int(),
  name: z.string(),
  description: z.string(),
  /** the zone's portal URL, which every zone uses to reach it (null while it is not known) */
  endpoint: z.string().nullable(),
  local: z.boolean(),
  createdAt: timestamp,
});

export const meDto = z.object({
  id: z.number().int(),
  username: z.string(),
  displayName: z.string(),
  email: z.string(),
  isAdmin: z.boolean(),
  primaryGroup: ref,
  groups: z.array(ref),
  umask: z.string(),
  createRights: z.array(z.enum(RESOURCE_TYPES)),
});

export const sessionDto = z.object({ user: meDto, zone: zoneDto });

export const signIn = defineOperation({
  id: "signIn",
  method: "POST",
  path: "/api/v1/session",
  summary: "Sign in with a username and password; sets the session cookie",
  tag: "Session",
  auth: "public",
  body: signInBody,
  response: sessionDto,
  statuses: [401, 429],
  maxBodyBytes: 8 * 1024,
});

export const getSession = defineOperation({
  id: "getSession",
  method: "GET",
  path: "/api/v1/session",
  summary: "The signed-in user and the local zone",
  tag: "Session",
  auth: "user",
  response: sessionDto,
});

export const signOut = defineOperation({
  id: "signOut",
  method: "DELETE",
  path: "/api/v1/session",
  summary: "Sign out (ends the cookie session)",
  tag: "Session",
  auth: "public",
  status: 204,
});

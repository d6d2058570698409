import { z } from "zod";
import { dbId, password, umask, username } from "@/lib/api/schemas";

/**
 * What the API takes to sign in, create and edit users, and change one's own profile and
 * password. Browser-safe: the console's forms validate with these same schemas.
 */

const displayName = z.string().trim().max(128, "must be at most 128 characters");
const email = z
  .string()
  .trim()
  .pipe(z.union([z.literal(""), z.email("must be an e-mail address")]));

export const signInBody = z.object({
  username: z.string().trim().min(1, "is required").max(64),
  password: z.string().min(1, "is required").max(256),
});

/** What a user's edit changes (admins). */
export const userFields = z.object({
  displayName,
  email,
  enabled: z.boolean(),
  umask: umask.nullable(),
  primaryGroupId: dbId,
  groupIds: z.array(dbId).max(100),
});

export const createUserBody = z.object({
  username,
  password,
  displayName: displayName.default(""),
  email: email.default(""),
  primaryGroupId: dbId.optional(),
  groupIds: userFields.shape.groupIds.default([]),
  enabled: z.boolean().default(true),
  umask: umask.nullable().default(null),
});

export const resetPasswordBody = z.object({ password });

/** What users change of their own account. */
export const profileFields = z.object({ displayName, email });

export const changePasswordBody = z.object({
  currentPassword: z.string().min(1, "is required").max(256),
  newPassword: password,
});

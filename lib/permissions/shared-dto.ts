import { z } from "zod";
import { ADMIN, MANAGE, USE, rightsToOctal, rightsToText, type Rights } from "./rights";

const bits = z.object({ use: z.boolean(), manage: z.boolean(), admin: z.boolean() });

/** How every shared object shows its ownership and permissions in the API. */
export const ownershipDto = z.object({
  owner: z.object({ id: z.number().int(), name: z.string() }),
  group: z.object({ id: z.number().int(), name: z.string() }),
  permissions: z.object({
    octal: z.string(),
    text: z.string(),
    owner: bits,
    group: bits,
    other: bits,
  }),
});
export type OwnershipDto = z.infer<typeof ownershipDto>;

const toBits = (d: number) => ({ use: (d & USE) !== 0, manage: (d & MANAGE) !== 0, admin: (d & ADMIN) !== 0 });

export function toOwnershipDto(
  row: Rights & { owner: { id: number; username: string }; group: { id: number; name: string } },
): OwnershipDto {
  return {
    owner: { id: row.owner.id, name: row.owner.username },
    group: { id: row.group.id, name: row.group.name },
    permissions: {
      octal: rightsToOctal(row),
      text: rightsToText(row),
      owner: toBits(row.ownerRights),
      group: toBits(row.groupRights),
      other: toBits(row.otherRights),
    },
  };
}

/**
 * A reference to another shared object: `id` and `shape` when the viewer may USE the object,
 * `id` alone when not (references.ts decides which). The id-alone form is strict, so that a
 * whole reference that does not parse is an error rather than quietly cut down to its id.
 */
export function sharedRefDto<S extends z.ZodRawShape>(shape: S) {
  const id = z.object({ id: z.number().int() });
  return z.union([id.extend(shape), id.strict()]);
}

/** The relations `toOwnershipDto` needs, for Prisma `include`. */
export const ownershipInclude = {
  owner: { select: { id: true, username: true } },
  group: { select: { id: true, name: true } },
} as const;

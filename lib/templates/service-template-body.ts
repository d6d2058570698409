import { z } from "zod";
import { AppError } from "@/lib/errors";
import { invalidInput } from "@/lib/api/readable-issues";
import { INT32_MAX, objectName } from "@/lib/api/schemas";

/**
 * A service template's body as OneFlow writes it: roles that name their VM template by id and
 * may wait for parent roles. Keys this portal has no use for (min_vms, elasticity_policies,
 * networks, custom_attrs…) pass through unchanged. Browser-safe: the form validates with it too.
 */
export const ROLE_NAME = /^[A-Za-z0-9_-]{1,64}$/;
export const MAX_ROLES = 32;
export const DEPLOYMENTS = ["straight", "none"] as const;

export const serviceRole = z.looseObject({
  name: z.string().regex(ROLE_NAME, "must be 1 to 64 letters, digits, '_' or '-'"),
  cardinality: z
    .number()
    .int("must be a whole number")
    .min(0, "must be 0 or more")
    .max(100_000, "must be at most 100000"),
  vm_template: z
    .number()
    .int("must be a VM template id")
    .min(1, "is required")
    .max(INT32_MAX, "must be a VM template id"),
  parents: z.array(z.string()).optional(),
});
export type ServiceRole = z.infer<typeof serviceRole>;

/** The cycle through `start`'s parents, as role names (start … start), or null. */
function cycleFrom(start: string, parentsOf: Map<string, string[]>): string[] | null {
  const path: string[] = [];
  const onPath = new Set<string>();
  const done = new Set<string>();
  const visit = (role: string): string[] | null => {
    if (onPath.has(role)) return [...path.slice(path.indexOf(role)), role];
    if (done.has(role)) return null;
    onPath.add(role);
    path.push(role);
    for (const p of parentsOf.get(role) ?? []) {
      const found = visit(p);
      if (found) return found;
    }
    path.pop();
    onPath.delete(role);
    done.add(role);
    return null;
  };
  return visit(start);
}

export const serviceTemplateBody = z
  .looseObject({
    name: objectName,
    description: z.string().trim().max(4096, "must be at most 4096 characters").default(""),
    deployment: z.enum(DEPLOYMENTS).default("none"),
    roles: z
      .array(serviceRole)
      .min(1, "a service needs at least one role")
      .max(MAX_ROLES, `a service has at most ${MAX_ROLES} roles`),
  })
  .superRefine((body, ctx) => {
    const index = new Map<string, number>();
    body.roles.forEach((role, i) => {
      if (index.has(role.name))
        ctx.addIssue({ code: "custom", path: ["roles", i, "name"], message: `Role ${role.name} appears twice` });
      else index.set(role.name, i);
    });
    body.roles.forEach((role, i) => {
      for (const parent of role.parents ?? []) {
        if (parent === role.name)
          ctx.addIssue({
            code: "custom",
            path: ["roles", i, "parents"],
            message: `Role ${role.name} cannot be its own parent`,
          });
        else if (!index.has(parent))
          ctx.addIssue({
            code: "custom",
            path: ["roles", i, "parents"],
            message: `Role ${role.name}: parent ${parent} is not a role of this service`,
          });
      }
    });
    const parentsOf = new Map(
      body.roles.map((r) => [r.name, (r.parents ?? []).filter((p) => p !== r.name && index.has(p))]),
    );
    const reported = new Set<string>();
    body.roles.forEach((role, i) => {
      const cycle = cycleFrom(role.name, parentsOf);
      // report each cycle once, at the first of its roles
      if (!cycle || cycle[0] !== role.name || reported.has(role.name)) return;
      cycle.forEach((r) => reported.add(r));
      ctx.addIssue({
        code: "custom",
        path: ["roles", i, "parents"],
        message: `Role ${role.name} is in a cycle of parents: ${cycle.join(" → ")}`,
      });
    });
  });

export type ServiceTemplateBody = z.infer<typeof serviceTemplateBody>;
export type ServiceTemplateBodyInput = z.input<typeof serviceTemplateBody>;

/** Reads a OneFlow JSON document (an import, the JSON tab); throws INVALID naming what is wrong. */
export function parseServiceBody(json: string): ServiceTemplateBody {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (err) {
    const reason = `not valid JSON: ${(err as Error).message}`;
    throw new AppError("INVALID", reason, { invalidParams: [{ name: "body", reason }] });
  }
  const parsed = serviceTemplateBody.safeParse(raw);
  if (!parsed.success) throw invalidInput(parsed.error.issues);
  return parsed.data;
}

import { db } from "@/lib/db/client";
import { subjectOf, type Ctx } from "@/lib/auth/context";
import { AppError, invalid, type InvalidParam } from "@/lib/errors";
import { objectName } from "@/lib/api/schemas";
import { decide } from "@/lib/permissions/operations";
import { whereHolds } from "@/lib/permissions/visibility";
import { getAll, parseTemplate, serializeTemplate, TemplateSyntaxError, type Template } from "./template-text";
import { templateDisks } from "./vm-template-spec";

/** Attributes that are one plain value, never a vector. */
const SINGLE = ["CPU", "VCPU", "MEMORY", "HYPERVISOR"];
/** Attributes that are always vectors. */
const VECTORS = ["OS", "GRAPHICS", "CONTEXT", "NIC", "DISK"];

const POSITIVE_DECIMAL = /^(\d+\.?\d*|\.\d+)$/;
const POSITIVE_INT = /^\d{1,9}$/;

export function parseTemplateParam(text: string): Template {
  try {
    return parseTemplate(text);
  } catch (err) {
    if (err instanceof TemplateSyntaxError) throw invalid("template", err.message);
    throw err;
  }
}

/** What is wrong with the attributes themselves (no database): each reason names its attribute. */
export function attributeProblems(t: Template): string[] {
  const problems: string[] = [];
  for (const key of SINGLE) {
    if (getAll(t, key).some((v) => typeof v !== "string")) problems.push(`${key} must be a single value, not a vector`);
  }
  for (const key of VECTORS) {
    if (getAll(t, key).some((v) => typeof v === "string")) problems.push(`${key} must be a vector: ${key} = [ … ]`);
  }
  const first = (key: string) => getAll(t, key).find((v): v is string => typeof v === "string");
  const cpu = first("CPU")?.trim();
  if (cpu === undefined || cpu === "") problems.push("CPU is required");
  else if (!POSITIVE_DECIMAL.test(cpu) || Number(cpu) <= 0) problems.push("CPU must be a positive number");
  const vcpu = first("VCPU")?.trim();
  if (vcpu !== undefined && (!POSITIVE_INT.test(vcpu) || Number(vcpu) <= 0))
    problems.push("VCPU must be a positive whole number");
  const memory = first("MEMORY")?.trim();
  if (memory === undefined || memory === "") problems.push("MEMORY is required");
  else if (!POSITIVE_INT.test(memory) || Number(memory) <= 0)
    problems.push("MEMORY must be a positive whole number of MB");
  for (const g of getAll(t, "GRAPHICS")) {
    if (typeof g !== "string" && g.TYPE !== undefined && !["VNC", "SPICE"].includes(g.TYPE.toUpperCase()))
      problems.push(`GRAPHICS TYPE must be VNC or SPICE, not "${g.TYPE}"`);
  }
  getAll(t, "NIC").forEach((nic, i) => {
    if (typeof nic === "string") return;
    if (!nic.NETWORK_MODE && !nic.NETWORK && !nic.NETWORK_ID)
      problems.push(`NIC ${i}: give NETWORK_MODE = "auto", NETWORK or NETWORK_ID`);
    else if (nic.NETWORK_MODE && nic.NETWORK_MODE.toLowerCase() !== "auto")
      problems.push(`NIC ${i}: NETWORK_MODE must be "auto"`);
  });
  for (const { index, attributes: d } of templateDisks(t)) {
    const volatile = ["fs", "swap"].includes((d.TYPE ?? "").toLowerCase());
    if (d.IMAGE_ID !== undefined && !POSITIVE_INT.test(d.IMAGE_ID.trim()))
      problems.push(`DISK ${index}: IMAGE_ID must be an image id`);
    else if (d.IMAGE_ID === undefined && d.IMAGE === undefined && !volatile)
      problems.push(`DISK ${index}: give IMAGE_ID, IMAGE (a name) or a volatile TYPE ("fs" or "swap") with a SIZE`);
    if (d.SIZE !== undefined && (!POSITIVE_INT.test(d.SIZE.trim()) || Number(d.SIZE) <= 0))
      problems.push(`DISK ${index}: SIZE must be a positive whole number of MB`);
    else if (volatile && d.IMAGE_ID === undefined && d.IMAGE === undefined && d.SIZE === undefined)
      problems.push(`DISK ${index}: a volatile disk needs a SIZE (MB)`);
  }
  return problems;
}

/**
 * Resolves DISK = [ IMAGE = name, IMAGE_UNAME = owner ] to IMAGE_ID (the user's own image when
 * no owner is named) and checks that every disk's image is one of this zone the user may USE.
 * Images in `kept` (the ones the template already had) are not checked again: a disk whose
 * image was deleted since must not block editing the rest of the template.
 */
async function resolveDisks(ctx: Ctx, t: Template, kept: ReadonlySet<number>): Promise<string[]> {
  const client = ctx.tx ?? db();
  const subject = subjectOf(ctx);
  const problems: string[] = [];
  let index = -1;
  for (const attr of t) {
    if (attr.key !== "DISK" || typeof attr.value === "string") continue;
    index++;
    const d = attr.value;
    if (d.IMAGE_ID === undefined && d.IMAGE !== undefined) {
      const ownerName = d.IMAGE_UNAME?.trim() || ctx.user.username;
      const owner = await client.user.findUnique({ where: { username: ownerName } });
      const image = owner
        ? await client.image.findFirst({
            where: { AND: [{ ownerId: owner.id, name: d.IMAGE, zoneId: ctx.zone.id }, whereHolds(subject)] },
          })
        : null;
      if (!image || !decide(subject, image, "use").allowed) {
        problems.push(`DISK ${index}: image "${d.IMAGE}" of ${ownerName} does not exist or you may not use it`);
        continue;
      }
      // IMAGE_ID takes the place of IMAGE; the owner's name is no longer needed
      attr.value = Object.fromEntries(
        Object.entries(d).flatMap(([k, v]): [string, string][] =>
          k === "IMAGE" ? [["IMAGE_ID", String(image.id)]] : k === "IMAGE_UNAME" || k === "IMAGE_UID" ? [] : [[k, v]],
        ),
      );
      continue;
    }
    if (d.IMAGE_ID === undefined || !POSITIVE_INT.test(d.IMAGE_ID.trim())) continue;
    const id = Number(d.IMAGE_ID);
    if (kept.has(id)) continue;
    const image = await client.image.findFirst({
      where: { AND: [{ id, zoneId: ctx.zone.id }, whereHolds(subject)] },
    });
    if (!image || !decide(subject, image, "use").allowed)
      problems.push(`DISK ${index}: image ${id} does not exist or you may not use it`);
  }
  return problems;
}

export interface PreparedVmTemplate {
  /** the name to use: the request's, else NAME from the text (undefined when neither) */
  name: string | undefined;
  /** canonical template text without NAME, disks by IMAGE_ID */
  template: string;
}

/**
 * Checks a VM template's text for create and update: syntax (400 on `template`, the reason
 * starts "line N, column M"), attributes (each reason names its attribute) and disk images.
 */
export async function prepareVmTemplate(
  ctx: Ctx,
  input: { text: string; name?: string; keptImageIds?: ReadonlySet<number> },
): Promise<PreparedVmTemplate> {
  const all = parseTemplateParam(input.text);
  const nameInText = all.find((a) => a.key === "NAME" && typeof a.value === "string")?.value as string | undefined;
  const t = all.filter((a) => a.key !== "NAME");
  let name = input.name;
  if (name === undefined && nameInText !== undefined) {
    const parsed = objectName.safeParse(nameInText);
    if (!parsed.success) throw invalid("name", `NAME in the template ${parsed.error.issues[0].message}`);
    name = parsed.data;
  }
  const problems = attributeProblems(t);
  if (problems.length === 0) problems.push(...(await resolveDisks(ctx, t, input.keptImageIds ?? new Set())));
  if (problems.length) {
    const invalidParams: InvalidParam[] = problems.map((reason) => ({ name: "template", reason }));
    throw new AppError("INVALID", problems.join("; "), { invalidParams });
  }
  try {
    return { name, template: serializeTemplate(t) };
  } catch (err) {
    // a value ending in a backslash cannot be written back (template-text.ts says why)
    if (err instanceof AppError) throw invalid("template", err.message);
    throw err;
  }
}

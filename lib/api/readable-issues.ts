import { z } from "zod";
import type { StandardSchemaV1 } from "@standard-schema/spec";
import { AppError, type InvalidParam } from "@/lib/errors";

/**
 * zod issues as sentences that name their field ("Tag 2 must be …", "Name is required"), for
 * the API's problem+json and for the forms, which validate with the same schemas. Browser-safe.
 */

/** Field names that do not read as words once split ("vmTemplateId" would read "Vm template id"). */
const LABELS: Record<string, string> = {
  id: "ID",
  q: "Search",
  perPage: "Rows per page",
  marketplaceId: "Marketplace",
  datastoreId: "Datastore",
  imageId: "Image",
  vmTemplateId: "VM template",
  serviceTemplateId: "Service template",
  vmTemplate: "VM template",
  vm_template: "VM template",
  appId: "App to reuse",
  userId: "User",
  groupId: "Group",
  groupIds: "Groups",
  primaryGroupId: "Primary group",
  ownerId: "Owner",
  zoneId: "Zone",
  basePath: "Directory",
  limitMb: "Limit (MB)",
  expectedMd5: "Expected MD5",
  expectedSha256: "Expected SHA-256",
  url: "URL",
  publicDir: "Public directory",
  baseUrl: "Base URL",
  accessKeyId: "Access key ID",
  secretAccessKey: "Secret access key",
  partSizeMb: "Part size (MB)",
  totalMb: "Total capacity (MB)",
  sshPublicKey: "SSH public key",
  isAdmin: "Administrator",
  maxBytes: "Max size",
  confirm: "Confirmation",
  confirmPassword: "Confirmation",
};

/** "vmTemplates" → "Vm templates", "max_images" → "Max images". */
function words(key: string): string {
  const spaced = key
    .replace(/[_-]+/g, " ")
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .toLowerCase();
  return spaced.charAt(0).toUpperCase() + spaced.slice(1);
}

const labelOf = (key: string) => LABELS[key] ?? words(key);

/** The label of one member of a list: "Tags" → "Tag", "Groups" → "Group", "Architectures" → "Architecture". */
function singular(label: string): string {
  if (/ies$/.test(label)) return label.replace(/ies$/, "y");
  if (/[^s]s$/.test(label)) return label.slice(0, -1);
  return label;
}

/** A label that follows another: "Name" → "name", but "VM template" and "URL" keep their capitals. */
const inner = (label: string) => (/^[A-Z][a-z]/.test(label) ? label.charAt(0).toLowerCase() + label.slice(1) : label);

/** How many levels of a path a label names at most. */
const MAX_LABEL_DEPTH = 8;

/**
 * The field a path names, as a person would: `tags.1` → "Tag 2", `roles.0.disks.2.appId` →
 * "Role 1 disk 3 app to reuse", `config.publicDir` → "Public directory" (an object that only
 * groups fields is not named). "" for the whole input.
 */
export function fieldLabel(path: readonly PropertyKey[]): string {
  // a body nested thousands deep must not cost the square of its depth: its last levels are named
  if (path.length > MAX_LABEL_DEPTH) return `… ${inner(fieldLabel(path.slice(-MAX_LABEL_DEPTH)))}`;
  const parts: string[] = [];
  path.forEach((segment, i) => {
    if (typeof segment === "number") {
      const list = parts.pop() ?? "Item";
      parts.push(`${singular(list)} ${segment + 1}`);
      return;
    }
    const key = String(segment);
    // a plain object's key followed by one of its fields: only the field is named
    if (typeof path[i + 1] === "string") return;
    const label = labelOf(key);
    // "Datastore 2" and its datastoreId: the member is named once
    if (parts.length && parts[parts.length - 1].replace(/ \d+$/, "") === label) return;
    parts.push(label);
  });
  return parts.map((p, i) => (i === 0 ? p : inner(p))).join(" ");
}

/** Messages that go on from the field's name ("Name is required"); others follow a colon ("Roles: a service needs…"). */
const CONTINUES = /^(is|are|must|may|can|cannot|should|has|have|needs|does|only|already)\b/;

/**
 * An issue as one sentence naming its field. A message that starts with a capital is a sentence
 * already, naming what it is about ("Role web appears twice"): it is kept as it is.
 */
export function issueSentence(path: readonly PropertyKey[], message: string): string {
  const label = fieldLabel(path);
  if (!label || /^[A-Z]/.test(message)) return message.charAt(0).toUpperCase() + message.slice(1);
  return CONTINUES.test(message) ? `${label} ${message}` : `${label}: ${message}`;
}

const EXPECTED: Record<string, string> = {
  string: "text",
  number: "a number",
  int: "a whole number",
  boolean: "true or false",
  array: "a list",
  object: "an object",
  record: "an object",
  null: "null",
};

const listOf = (values: readonly unknown[]) =>
  values.map((v) => (typeof v === "string" ? v : JSON.stringify(v))).join(", ");
const plural = (n: number | bigint, one: string) => `${n} ${one}${Number(n) === 1 ? "" : "s"}`;

/**
 * zod's own wording for rules that give no message of their own, as plain words without the
 * field's name ("must be at most 200"; its name is added where the issue is told).
 */
function plainMessage(issue: z.core.$ZodRawIssue): string | undefined {
  switch (issue.code) {
    case "invalid_type":
      if (issue.input === undefined) return "is required";
      return `must be ${EXPECTED[issue.expected] ?? issue.expected}`;
    case "too_small": {
      const n = issue.minimum;
      if (issue.origin === "string")
        return Number(n) <= 1 ? "is required" : `must be at least ${plural(n, "character")}`;
      if (issue.origin === "array" || issue.origin === "set") return `must have at least ${plural(n, "item")}`;
      return issue.inclusive === false ? `must be more than ${n}` : `must be at least ${n}`;
    }
    case "too_big": {
      const n = issue.maximum;
      if (issue.origin === "string") return `must be at most ${plural(n, "character")}`;
      if (issue.origin === "array" || issue.origin === "set") return `must have at most ${plural(n, "item")}`;
      return issue.inclusive === false ? `must be less than ${n}` : `must be at most ${n}`;
    }
    case "invalid_value":
      return issue.values.length === 1 ? `must be ${listOf(issue.values)}` : `must be one of ${listOf(issue.values)}`;
    case "invalid_union": {
      // a discriminated union names the values its discriminator may take
      const options = (issue as { options?: unknown[] }).options;
      return options?.length ? `must be one of ${listOf(options)}` : "is not valid";
    }
    case "invalid_format":
      if (issue.format === "url") return "must be a URL";
      if (issue.format === "email") return "must be an email address";
      if (issue.format === "datetime") return "must be a date and time such as 2026-01-31T12:00:00Z";
      return "is not in the expected format";
    case "not_multiple_of":
      return `must be a multiple of ${issue.divisor}`;
    case "unrecognized_keys":
      return `has fields that are not known here: ${issue.keys.join(", ")}`;
    case "invalid_key":
    case "invalid_element":
      return "holds a value that is not valid";
    case "custom":
      return "is not valid";
  }
  return undefined;
}

z.config({ customError: plainMessage });

/** The API's field errors for zod issues: the field's path, and the sentence naming it. */
export function invalidParamsOf(issues: readonly z.core.$ZodIssue[], prefix: readonly string[] = [], whole = "body") {
  return issues.map((issue): InvalidParam => ({
    name: [...prefix, ...issue.path.map(String)].join(".") || whole,
    reason: issueSentence([...prefix, ...issue.path], issue.message),
  }));
}

/** An INVALID error for zod issues: each field's sentence, all of them in the detail. */
export function invalidInput(issues: readonly z.core.$ZodIssue[], prefix: readonly string[] = [], whole = "body") {
  const invalidParams = invalidParamsOf(issues, prefix, whole);
  return new AppError("INVALID", invalidParams.map((p) => p.reason).join("; "), { invalidParams });
}

/**
 * A schema for a form (@mantine/form's schemaResolver): the same rules, each issue told as a
 * sentence naming its field, and a list member's issue put on the list's field (`tags.1` →
 * `tags`), since one input edits the whole list.
 */
export function readableSchema(schema: z.ZodType): StandardSchemaV1 {
  return {
    "~standard": {
      version: 1,
      vendor: "bazaar",
      validate: (value) => {
        const result = schema.safeParse(value);
        if (result.success) return { value: result.data };
        return {
          issues: result.error.issues.map((issue) => ({
            message: issueSentence(issue.path, issue.message),
            path: typeof issue.path.at(-1) === "number" ? issue.path.slice(0, -1) : issue.path,
          })),
        };
      },
    },
  };
}

import { z } from "zod";
import "@/lib/api/operations";
import { registeredOperations, type Operation } from "./operation";
import { urlIntBounds } from "./schemas";

/** OpenAPI 3.1 document generated from the same zod schemas the routes parse with. */
export function buildOpenApiDocument(): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of registeredOperations()) {
    paths[op.path] ??= {};
    paths[op.path][op.method.toLowerCase()] = operationObject(op);
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Bazaar API",
      version: "1",
      description:
        "REST API of the Bazaar marketplace portal. Authenticate with the session cookie (POST /api/v1/session) " +
        "or an API token (`Authorization: Bearer bzr_…`). Errors are RFC 9457 problem+json with `invalid_params`.",
    },
    servers: [{ url: "/" }],
    components: {
      securitySchemes: {
        bearer: { type: "http", scheme: "bearer", description: "API token created in Profile › API tokens" },
        cookie: { type: "apiKey", in: "cookie", name: "bazaar_session" },
      },
      schemas: { Problem: problemSchema },
    },
    paths,
  };
}

const jsonSchema = (schema: z.ZodType, io: "input" | "output") => {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, {
    io,
    unrepresentable: "any",
    target: "draft-2020-12",
    override: ({ zodSchema, jsonSchema: js }) => {
      // integers in URLs arrive as text that must be decimal digits; described as the integers they are
      const bounds = urlIntBounds.get(zodSchema);
      if (!bounds) return;
      const out = js as Record<string, unknown>;
      for (const key of ["type", "pattern", "format", "minLength", "maxLength"]) delete out[key];
      Object.assign(out, { type: "integer", ...bounds });
    },
  }) as Record<string, unknown>;
  return rest;
};

const SUCCESS_DESCRIPTIONS: Record<string, string> = {
  "206": "Partial content (a Range request)",
  "304": "Not modified: the client's copy (If-None-Match) is current",
  "307": "Temporary redirect to a short-lived URL of the bytes (an s3 marketplace with downloadRedirect)",
};
const PROBLEM_DESCRIPTIONS: Record<number, string> = {
  400: "Invalid input; `invalid_params` names the fields",
  401: "Not signed in",
  403: "Forbidden",
  404: "Not found, or not visible to you (the object of the path, or one the body names)",
  409: "Conflict: a name already in use, or the object's state or zone does not allow this now",
  410: "Gone: the upload is over",
  412: "Precondition failed: a tus version this server does not speak",
  413: "Content too large: more than the operation accepts",
  415: "Unsupported media type",
  416: "Range not satisfiable",
  429: "Too many requests; Retry-After says when to try again",
  502: "A backend (marketplace, datastore) refused or failed",
  507: "Not enough space in the datastore or marketplace",
};

/** Every status an operation answers besides its success status, from its shape and what it declares. */
export function errorStatuses(op: Operation): number[] {
  const out = new Set<number>();
  if (op.params || op.query || op.body) out.add(400);
  if (op.body) out.add(413);
  if (op.auth !== "public") [401, 403].forEach((s) => out.add(s));
  // a body names other objects by id (a datastore, a marketplace), which may not exist for this user
  if (op.params || (op.body && op.auth !== "public")) out.add(404);
  if (op.auth !== "public" && op.method !== "GET" && op.method !== "HEAD") out.add(409);
  for (const s of op.statuses ?? []) if (s >= 400) out.add(s);
  return [...out].sort((a, b) => a - b);
}

function operationObject(op: Operation) {
  const parameters: unknown[] = [];
  for (const [where, schema] of [
    ["path", op.params],
    ["query", op.query],
  ] as const) {
    if (!schema) continue;
    const js = jsonSchema(schema, "input") as { properties?: Record<string, unknown>; required?: string[] };
    for (const [name, s] of Object.entries(js.properties ?? {})) {
      parameters.push({ name, in: where, required: where === "path" || (js.required ?? []).includes(name), schema: s });
    }
  }
  const status = String(op.status ?? 200);
  const problem = (description: string) => ({
    description,
    content: { "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } } },
  });
  const successes = Object.fromEntries(
    (op.statuses ?? [])
      .filter((s) => s < 400)
      .map((s) => [String(s), { description: SUCCESS_DESCRIPTIONS[String(s)] ?? "Success" }]),
  );
  const errors = Object.fromEntries(errorStatuses(op).map((s) => [String(s), problem(PROBLEM_DESCRIPTIONS[s])]));
  return {
    operationId: op.id,
    summary: op.summary,
    tags: [op.tag],
    security: op.auth === "public" ? [] : [{ bearer: [] }, { cookie: [] }],
    ...(parameters.length ? { parameters } : {}),
    ...(op.body
      ? { requestBody: { required: true, content: { "application/json": { schema: jsonSchema(op.body, "input") } } } }
      : {}),
    responses: {
      [status]: op.response
        ? { description: "Success", content: { "application/json": { schema: jsonSchema(op.response, "output") } } }
        : { description: "Success" },
      ...successes,
      ...errors,
    },
  };
}

const problemSchema = {
  type: "object",
  required: ["type", "title", "status", "detail", "code"],
  properties: {
    type: { type: "string" },
    title: { type: "string" },
    status: { type: "integer" },
    detail: { type: "string" },
    code: { type: "string" },
    instance: { type: "string" },
    request_id: { type: "string" },
    invalid_params: {
      type: "array",
      items: {
        type: "object",
        properties: { name: { type: "string" }, reason: { type: "string" } },
        required: ["name", "reason"],
      },
    },
  },
};

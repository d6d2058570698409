import { z } from "zod";
import "@/lib/api/operations";
import { registeredOperations, type Operation } from "./operation";

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
  }) as Record<string, unknown>;
  return rest;
};

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
      "400": problem("Invalid input; `invalid_params` names the fields"),
      ...(op.auth === "public" ? {} : { "401": problem("Not signed in"), "403": problem("Forbidden") }),
      ...(op.params ? { "404": problem("Not found, or not visible to you") } : {}),
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

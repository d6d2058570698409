import { beforeAll, describe, expect, it } from "vitest";
import "@/lib/api/operations";
import { registeredOperations } from "@/lib/api/operation";
import { anonymous, type Json } from "../helpers/api";

let doc: Json;

beforeAll(async () => {
  const res = await anonymous().get("/api/v1/openapi.json");
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toMatch(/^application\/json/);
  doc = res.json;
});

describe("GET /api/v1/openapi.json", () => {
  it("is an OpenAPI 3.1 document, served without credentials", () => {
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.info).toMatchObject({ title: "Bazaar API", version: expect.any(String) });
    expect(Object.keys(doc.components.securitySchemes).sort()).toEqual(["bearer", "cookie"]);
  });

  it("has a path and method for every registered operation, and nothing else", () => {
    const documented = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([path, methods]) =>
      Object.keys(methods).map((m) => `${m.toUpperCase()} ${path}`),
    );
    const registered = registeredOperations().map((op) => `${op.method} ${op.path}`);
    expect(documented.sort()).toEqual(registered.sort());
    for (const op of registeredOperations()) {
      expect(doc.paths[op.path][op.method.toLowerCase()].operationId).toBe(op.id);
    }
  });

  it("documents request bodies with their schemas", () => {
    const withBody = registeredOperations().filter((op) => op.body);
    expect(withBody.length).toBeGreaterThan(10);
    for (const op of withBody) {
      const body = doc.paths[op.path][op.method.toLowerCase()].requestBody;
      expect(body, `${op.method} ${op.path}`).toMatchObject({ required: true });
      expect(body.content["application/json"].schema, `${op.method} ${op.path}`).toBeTypeOf("object");
    }
    const createUser = doc.paths["/api/v1/users"].post.requestBody.content["application/json"].schema;
    expect(createUser.type).toBe("object");
    expect(createUser.required).toEqual(expect.arrayContaining(["username", "password"]));
    expect(createUser.properties.password).toMatchObject({ type: "string", minLength: 8 });
    expect(createUser.properties.username).toMatchObject({ type: "string", pattern: expect.any(String) });
  });

  it("documents parameters, responses and problems", () => {
    const getUser = doc.paths["/api/v1/users/{id}"].get;
    expect(getUser.parameters).toEqual([expect.objectContaining({ name: "id", in: "path", required: true })]);
    expect(getUser.responses["200"].content["application/json"].schema.properties).toHaveProperty("username");
    expect(getUser.responses["200"].content["application/json"].schema.properties).not.toHaveProperty("passwordHash");
    expect(getUser.responses["404"].content["application/problem+json"].schema.$ref).toBe(
      "#/components/schemas/Problem",
    );
    const listUsers = doc.paths["/api/v1/users"].get;
    expect(listUsers.parameters.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(["page", "perPage", "sort", "order", "q"]),
    );
    expect(doc.paths["/api/v1/session"].post.security).toEqual([]);
    expect(listUsers.security).toEqual([{ bearer: [] }, { cookie: [] }]);
  });

  it("documents every status an operation answers", () => {
    const statuses = (path: string, method: string) => Object.keys(doc.paths[path][method].responses).map(Number);
    expect(statuses("/api/v1/session", "post")).toEqual(expect.arrayContaining([200, 400, 401, 413, 429]));
    for (const download of ["/api/v1/images/{id}/download", "/api/v1/apps/{id}/download"])
      expect(statuses(download, "get")).toEqual(expect.arrayContaining([200, 206, 404, 409, 416]));
    expect(statuses("/api/v1/uploads", "post")).toEqual(expect.arrayContaining([201, 410, 412, 413, 507]));
    expect(statuses("/api/v1/uploads/{id}", "patch")).toEqual(expect.arrayContaining([204, 409, 410, 412, 413]));
    // every write that is not public may meet a conflict (a name in use, a state that forbids it)
    for (const op of registeredOperations().filter((o) => o.auth !== "public" && !["GET", "HEAD"].includes(o.method)))
      expect(statuses(op.path, op.method.toLowerCase()), `${op.method} ${op.path}`).toContain(409);
  });

  /** Every JSON Schema node under `node`, with where it is. */
  function* schemaNodes(node: Json, where: string): Generator<[Json, string]> {
    if (!node || typeof node !== "object") return;
    if (!Array.isArray(node)) yield [node, where];
    for (const [k, v] of Object.entries(node)) yield* schemaNodes(v, `${where}/${k}`);
  }

  it("uses only regular expressions that tools outside JavaScript can run", () => {
    const patterns = [...schemaNodes(doc.paths, "")].filter(([n]) => typeof n.pattern === "string");
    expect(patterns.length).toBeGreaterThan(5);
    for (const [node, where] of patterns) {
      // no Unicode property classes, no lookbehind, no named groups, no \u escapes
      expect(node.pattern, where).not.toMatch(/\\[pP]\{|\(\?<[=!]|\(\?<\w|\\u[0-9a-fA-F]{4}/);
      expect(() => new RegExp(node.pattern), where).not.toThrow();
    }
  });

  it("bounds every integer a request carries, within the int columns for ids", () => {
    const inputs = Object.values(doc.paths).flatMap((methods: Json) =>
      Object.values(methods).flatMap((op: Json) => [
        ...(op.parameters ?? []).map((p: Json) => [p.schema, `${op.operationId} parameter ${p.name}`]),
        ...(op.requestBody ? [[op.requestBody.content["application/json"].schema, `${op.operationId} body`]] : []),
      ]),
    ) as [Json, string][];
    let ints = 0;
    for (const [schema, label] of inputs) {
      for (const [node, where] of schemaNodes(schema, label)) {
        if (node.type !== "integer") continue;
        ints++;
        expect(node.maximum, where).toBeLessThanOrEqual(Number.MAX_SAFE_INTEGER);
        if (/[iI]d$|\/id$|parameter id$/.test(where)) expect(node.maximum, where).toBeLessThanOrEqual(2 ** 31 - 1);
      }
    }
    expect(ints).toBeGreaterThan(30);
  });
});

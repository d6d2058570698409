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
});

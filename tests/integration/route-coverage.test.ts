import path from "node:path";
import { describe, expect, it } from "vitest";
import "@/lib/api/operations";
import { registeredOperations } from "@/lib/api/operation";
import { HTTP_METHODS, loadRoute, PROJECT_ROOT, routeFiles } from "../helpers/routes";

// Route files that serve something other than an operation: the catch-all answers unknown
// paths, and the OpenAPI document describes the operations rather than being one.
const NOT_OPERATIONS = new Set(["GET /api/v1/openapi.json"]);

async function exportedRoutes(): Promise<string[]> {
  const found: string[] = [];
  for (const route of routeFiles(path.join(PROJECT_ROOT, "app", "api", "v1"))) {
    if (route.segments.some((s) => s.kind === "catchAll")) continue;
    const mod = await loadRoute(route);
    for (const method of HTTP_METHODS) {
      if (typeof mod[method] === "function") found.push(`${method} ${route.pattern}`);
    }
  }
  return found.sort();
}

const operations = () =>
  registeredOperations()
    .map((op) => `${op.method} ${op.path}`)
    .sort();

describe("routes and registered operations", () => {
  it("registers each operation once, with a unique id", () => {
    const ops = registeredOperations();
    expect(new Set(operations()).size).toBe(ops.length);
    expect(new Set(ops.map((op) => op.id)).size).toBe(ops.length);
  });

  it("every registered operation has a route file exporting its method at its path", async () => {
    const exported = new Set(await exportedRoutes());
    expect(operations().filter((op) => !exported.has(op))).toEqual([]);
  });

  it("every method exported under app/api/v1 is a registered operation", async () => {
    const registered = new Set(operations());
    const exported = await exportedRoutes();
    expect(exported.length).toBeGreaterThan(20);
    expect(exported.filter((r) => !registered.has(r) && !NOT_OPERATIONS.has(r))).toEqual([]);
  });

  it("the catch-all serves every method, so unknown paths never fall through to Next.js", async () => {
    const [catchAll] = routeFiles().filter((r) => r.pattern === "/api/v1/{...rest}");
    const mod = await loadRoute(catchAll);
    for (const method of ["GET", "POST", "PUT", "PATCH", "DELETE"] as const)
      expect(typeof mod[method]).toBe("function");
  });
});

import { describe, expect, it } from "vitest";
import "@/lib/api/operations";
import { registeredOperations } from "@/lib/api/operation";
import { anonymous, ApiClient, expectProblem, signInAdmin, withToken } from "../helpers/api";

// Every operation the API registers, except the public ones (sign in, sign out); the OpenAPI
// document is not an operation. Read from the registry, so a new route is covered by default.
const protectedOps = registeredOperations().filter((op) => op.auth !== "public");
const dummyPath = (path: string) => path.replace(/\{\w+\}/g, "1");
const dummyBody = (method: string) => (["POST", "PUT", "PATCH"].includes(method) ? {} : undefined);

describe("without credentials", () => {
  it("covers the operations of every area", () => {
    expect(protectedOps.length).toBeGreaterThanOrEqual(30);
    expect([...new Set(protectedOps.map((op) => op.tag))]).toEqual(
      expect.arrayContaining(["Session", "Users", "Profile", "Groups", "Zones", "VDCs", "Audit"]),
    );
  });

  it.each(protectedOps.map((op) => [`${op.method} ${op.path}`, op] as const))("%s answers 401", async (_, op) => {
    const body = dummyBody(op.method);
    // no cookie, no token, no Origin: nothing to protect from CSRF, so plainly "not signed in"
    const res = await anonymous().request(op.method, dummyPath(op.path), body, { origin: null });
    expectProblem(res, 401);
    expect(res.json.code).toBe("UNAUTHENTICATED");
  });

  it.each(protectedOps.map((op) => [`${op.method} ${op.path}`, op] as const))(
    "%s answers 401 to a garbage bearer token or an unknown cookie",
    async (_, op) => {
      const body = dummyBody(op.method);
      expectProblem(await withToken("bzr_not-a-real-token").request(op.method, dummyPath(op.path), body), 401);
      expectProblem(await new ApiClient({ cookie: "forged" }).request(op.method, dummyPath(op.path), body), 401);
    },
  );

  it("an unknown /api/v1 path answers 401, and 404 once signed in", async () => {
    for (const method of ["GET", "POST", "PATCH", "DELETE"] as const) {
      expectProblem(await anonymous().request(method, "/api/v1/nope", undefined, { origin: null }), 401);
    }
    expectProblem(await anonymous().get("/api/v1/users/1/nope/deeper"), 401);
    const admin = await signInAdmin();
    const res = await admin.get("/api/v1/nope");
    expectProblem(res, 404);
    expect(res.json.detail).toBe("No API route GET /api/v1/nope");
  });
});

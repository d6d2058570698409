import { describe, expect, it } from "vitest";
import { anonymous } from "../helpers/api";

describe("GET /api/health", () => {
  it("answers 200 with status ok when the database answers, without credentials", async () => {
    const res = await anonymous().get("/api/health");
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ status: "ok" });
    expect(res.headers.get("cache-control")).toBe("no-store");
  });
});

import { beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_MAX_BODY_BYTES } from "@/lib/api/with-api";
import { ApiClient, BASE_URL, anonymous, expectProblem, signInAdmin } from "../helpers/api";
import { loadRoute, resolveRoute } from "../helpers/routes";

/**
 * What the API edge refuses before any service runs, identically on SQLite and PostgreSQL:
 * NUL characters (PostgreSQL cannot store them in text), integers past the `int` columns,
 * ids not written in decimal, and bodies over the operation's limit.
 */
let admin: ApiClient;

beforeAll(async () => {
  admin = await signInAdmin();
});

describe("NUL characters", () => {
  it("are refused in a body field, naming the field", async () => {
    expectProblem(await admin.post("/api/v1/groups", { name: "a\u0000b" }), 400, ["name"]);
    expectProblem(await admin.post("/api/v1/zones", { name: "z", description: "x\u0000" }), 400, ["description"]);
  });

  it("are refused in nested fields and in object keys", async () => {
    const res = await admin.post("/api/v1/marketplaces", {
      name: "m",
      driver: "http",
      config: { "public\u0000Dir": "/tmp/x" },
    });
    expectProblem(res, 400, ["config.public\u0000Dir"]);
  });

  it("are refused in a query, naming the parameter", async () => {
    expectProblem(await admin.get("/api/v1/apps?q=ubuntu%00"), 400, ["q"]);
    expectProblem(await admin.get("/api/v1/audit?q=%00"), 400, ["q"]);
  });

  it("are refused in a sign-in username", async () => {
    expectProblem(await anonymous().post("/api/v1/session", { username: "ad\u0000min", password: "x" }), 400, [
      "username",
    ]);
  });

  it("are refused in a path parameter", async () => {
    expectProblem(await admin.get("/api/v1/images/1%002"), 400, ["id"]);
  });
});

describe("integers", () => {
  it("ids past the int columns are refused, not looked up", async () => {
    for (const id of ["2147483648", "4294967296", "9007199254740991", "99999999999999999999"])
      expectProblem(await admin.get(`/api/v1/images/${id}`), 400, ["id"]);
    expect((await admin.get("/api/v1/images/2147483647")).status).toBe(404);
  });

  it("filters past the int columns are refused", async () => {
    expectProblem(await admin.get("/api/v1/apps?marketplaceId=2147483648"), 400, ["marketplaceId"]);
    expectProblem(await admin.get("/api/v1/jobs?objectId=9007199254740991"), 400, ["objectId"]);
    expectProblem(await admin.get("/api/v1/images?page=99999999999"), 400, ["page"]);
  });

  it("ids in a body past the int columns are refused", async () => {
    expectProblem(
      await admin.post("/api/v1/images", { source: "upload", size: 10, name: "x", datastoreId: 2 ** 31 }),
      400,
      ["datastoreId"],
    );
    expectProblem(await admin.post("/api/v1/groups/1/members", { userId: 2 ** 53 - 1 }), 400, ["userId"]);
  });

  it("an upload's image id is read in decimal within the id columns", async () => {
    for (const id of ["2147483648", "1e3", "0x10", "-1"]) {
      const res = await admin.post("/api/v1/uploads", undefined, {
        headers: {
          "tus-resumable": "1.0.0",
          "upload-length": "1024",
          "upload-metadata": `imageId ${Buffer.from(id).toString("base64")}`,
        },
      });
      expect(res.status, `${id}: ${res.text}`).toBe(400);
      expect(res.text).toMatch(/imageId/);
    }
  });

  it("ids are read in decimal only", async () => {
    for (const id of ["1e3", "0x10", "1.0", "+1", " 1", "1 ", "0b1", "Infinity"])
      expectProblem(await admin.get(`/api/v1/users/${encodeURIComponent(id)}`), 400, ["id"]);
    expectProblem(await admin.get("/api/v1/apps?perPage=1e1"), 400, ["perPage"]);
    const session = await admin.get("/api/v1/session");
    const me = session.json.user.id as number;
    // leading zeros are still decimal
    expect((await admin.get(`/api/v1/users/00${me}`)).json.id).toBe(me);
  });
});

describe("request body limits", () => {
  /** The sign-in route's handler, called with a streamed body whose reads are counted. */
  async function signInWithStream(totalBytes: number, chunk = 64 * 1024, headers: Record<string, string> = {}) {
    let produced = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (produced >= totalBytes) return controller.close();
        const n = Math.min(chunk, totalBytes - produced);
        produced += n;
        controller.enqueue(new Uint8Array(n).fill(0x20));
      },
    });
    const resolved = resolveRoute("/api/v1/session")!;
    const handler = (await loadRoute(resolved.route)).POST!;
    const res = await handler(
      new Request(new URL("/api/v1/session", BASE_URL), {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body,
        duplex: "half",
      } as RequestInit),
      { params: Promise.resolve({}) },
    );
    return { res, produced };
  }

  it("an unauthenticated body is cut off at the limit, not read to its end", async () => {
    const { res, produced } = await signInWithStream(300 * 1024 * 1024);
    expect(res.status).toBe(413);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect((await res.json()).invalid_params).toEqual([{ name: "body", reason: expect.stringMatching(/at most/) }]);
    // the sign-in limit (8 KiB) plus at most a chunk or two of read-ahead
    expect(produced).toBeLessThanOrEqual(8 * 1024 + 3 * 64 * 1024);
  });

  it("a declared Content-Length over the limit is refused unread", async () => {
    const { res, produced } = await signInWithStream(1024 * 1024, 64 * 1024, { "content-length": String(1024 * 1024) });
    expect(res.status).toBe(413);
    expect(produced).toBeLessThanOrEqual(2 * 64 * 1024);
  });

  it("other operations take the default limit; templates take more", async () => {
    const big = "x".repeat(DEFAULT_MAX_BODY_BYTES + 10);
    expectProblem(await admin.post("/api/v1/groups", { name: "g", description: big }), 413, ["body"]);
    // 100 KiB of template text is within what VM templates accept (then judged as a template)
    const text = `CPU = "1"\nMEMORY = "128"\nDESCRIPTION = "${"d".repeat(100 * 1024)}"\n`;
    const res = await admin.post("/api/v1/vm-templates", { name: "big-one", template: text });
    expect(res.status, res.text).not.toBe(413);
  });

  it("a body that is not UTF-8 is refused", async () => {
    const resolved = resolveRoute("/api/v1/session")!;
    const handler = (await loadRoute(resolved.route)).POST!;
    const res = await handler(
      new Request(new URL("/api/v1/session", BASE_URL), {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]),
      }),
      { params: Promise.resolve({}) },
    );
    expect(res.status).toBe(400);
  });
});

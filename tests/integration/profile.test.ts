import { beforeAll, describe, expect, it } from "vitest";
import { ApiClient, createUser, expectProblem, signIn, signInAdmin, type UserFixture } from "../helpers/api";
import { expectNoSecretsLeaked } from "../helpers/secrets";

let admin: ApiClient;
let dora: UserFixture;

beforeAll(async () => {
  admin = await signInAdmin();
  dora = await createUser(admin, "dora");
});

describe("PATCH /api/v1/profile", () => {
  it("changes the display name and e-mail of the signed-in user", async () => {
    const client = await signIn("dora", dora.password);
    const res = await client.patch("/api/v1/profile", { displayName: "Dora Explorer", email: "dora@example.org" });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      id: dora.id,
      username: "dora",
      displayName: "Dora Explorer",
      email: "dora@example.org",
    });
    expect((await admin.get(`/api/v1/users/${dora.id}`)).json).toMatchObject({
      displayName: "Dora Explorer",
      email: "dora@example.org",
    });
    expectProblem(await client.patch("/api/v1/profile", { email: "nope" }), 400, ["email"]);
  });

  it("cannot change what only admins may change", async () => {
    const client = await signIn("dora", dora.password);
    const res = await client.patch("/api/v1/profile", { username: "root", enabled: false, displayName: "Dora" });
    expect(res.status).toBe(200);
    expect(res.json.username).toBe("dora");
    expect((await admin.get(`/api/v1/users/${dora.id}`)).json).toMatchObject({ username: "dora", enabled: true });
  });
});

describe("POST /api/v1/profile/password", () => {
  it("a wrong current password answers 400 naming currentPassword", async () => {
    const client = await signIn("dora", dora.password);
    const res = await client.post("/api/v1/profile/password", {
      currentPassword: "not-the-password",
      newPassword: "dora-new-Pw-5521",
    });
    expectProblem(res, 400, ["currentPassword"]);
    // nothing changed
    expect((await signIn("dora", dora.password)).sessionCookie).toBeDefined();
  });

  it("validates the new password", async () => {
    const client = await signIn("dora", dora.password);
    expectProblem(
      await client.post("/api/v1/profile/password", { currentPassword: dora.password, newPassword: "short" }),
      400,
      ["newPassword"],
    );
    expectProblem(
      await client.post("/api/v1/profile/password", { currentPassword: dora.password, newPassword: dora.password }),
      400,
      ["newPassword"],
    );
  });

  it("keeps the current session, ends the others, and the new password works", async () => {
    const here = await signIn("dora", dora.password);
    const elsewhere = await signIn("dora", dora.password);
    const newPassword = "dora-changed-Pw-9034";
    const res = await here.post("/api/v1/profile/password", { currentPassword: dora.password, newPassword });
    expect(res.status).toBe(204);
    expect((await here.get("/api/v1/session")).status).toBe(200);
    expectProblem(await elsewhere.get("/api/v1/session"), 401);
    expectProblem(await new ApiClient().post("/api/v1/session", { username: "dora", password: dora.password }), 401);
    expect((await signIn("dora", newPassword)).sessionCookie).toBeDefined();
    dora = { ...dora, password: newPassword };
  });
});

describe("secrets", () => {
  it("no password, cookie or hash appears in any response or audit event", async () => {
    await expectNoSecretsLeaked();
  });
});

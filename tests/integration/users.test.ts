import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import {
  ApiClient,
  createGroup,
  createUser,
  expectProblem,
  groupIdOf,
  passwordFor,
  signIn,
  signInAdmin,
  type UserFixture,
} from "../helpers/api";
import { expectNoSecretsLeaked } from "../helpers/secrets";

let admin: ApiClient;
let adminId: number;
let adminsGroup: number;
let usersGroup: number;
let bob: UserFixture;
let bobClient: ApiClient;

beforeAll(async () => {
  admin = await signInAdmin();
  adminId = (await admin.get("/api/v1/session")).json.user.id;
  adminsGroup = await groupIdOf(admin, "admins");
  usersGroup = await groupIdOf(admin, "users");
  bob = await createUser(admin, "bob");
  bobClient = await signIn("bob", bob.password);
});

describe("POST /api/v1/users", () => {
  it("creates a user (201) whose DTO carries no password or hash", async () => {
    const password = passwordFor("alice");
    const res = await admin.post("/api/v1/users", {
      username: "alice",
      password,
      displayName: "Alice Liddell",
      email: "alice@example.org",
    });
    expect(res.status).toBe(201);
    expect(res.json).toEqual({
      id: expect.any(Number),
      username: "alice",
      displayName: "Alice Liddell",
      email: "alice@example.org",
      enabled: true,
      isAdmin: false,
      umask: null,
      primaryGroup: { id: usersGroup, name: "users" },
      groups: [{ id: usersGroup, name: "users" }],
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    expect(res.text).not.toMatch(/passwordHash|scrypt\$/);
    expect(res.text).not.toContain(password);
    const row = await db().user.findUniqueOrThrow({ where: { username: "alice" } });
    expect(row.passwordHash).toMatch(/^scrypt\$/);
    // the new user can sign in with the password given
    expect((await signIn("alice", password)).sessionCookie).toBeDefined();
  });

  it("answers 409 naming username for a taken username", async () => {
    const res = await admin.post("/api/v1/users", { username: "bob", password: "another-password-1" });
    expectProblem(res, 409, ["username"]);
    expect(await db().user.count({ where: { username: "bob" } })).toBe(1);
  });

  it.each([
    ["a username with capitals and symbols", { username: "X!", password: "long-enough-1" }, ["username"]],
    ["a short password", { username: "shorty", password: "short" }, ["password"]],
    ["both", { username: "X!", password: "short" }, ["password", "username"]],
    ["a missing password", { username: "nopass" }, ["password"]],
    ["a bad e-mail", { username: "mailer", password: "long-enough-1", email: "not-an-email" }, ["email"]],
    ["a bad umask", { username: "masker", password: "long-enough-1", umask: "999" }, ["umask"]],
  ])("answers 400 with invalid_params for %s", async (_, body, fields) => {
    const res = await admin.post("/api/v1/users", body);
    expectProblem(res, 400, fields);
    expect(res.json.code).toBe("INVALID");
  });

  it("answers 400 for a body that is not JSON", async () => {
    const notJson = await admin.post("/api/v1/users", undefined, {
      raw: "{username: bob",
      contentType: "application/json",
    });
    expectProblem(notJson, 400, ["body"]);
    const form = await admin.post("/api/v1/users", undefined, {
      raw: "username=x",
      contentType: "application/x-www-form-urlencoded",
    });
    expectProblem(form, 400, ["body"]);
  });

  it("answers 400 naming groupIds for an unknown group", async () => {
    expectProblem(
      await admin.post("/api/v1/users", { username: "lost", password: "long-enough-1", groupIds: [999999] }),
      400,
      ["groupIds"],
    );
    expect(await db().user.count({ where: { username: "lost" } })).toBe(0);
  });

  it("non-admins get 403", async () => {
    expectProblem(await bobClient.post("/api/v1/users", { username: "sneaky", password: "long-enough-1" }), 403);
    expect(await db().user.count({ where: { username: "sneaky" } })).toBe(0);
  });
});

describe("GET /api/v1/users and /users/{id}", () => {
  it("non-admins get 403 on the list", async () => {
    expectProblem(await bobClient.get("/api/v1/users"), 403);
  });

  it("a non-admin sees themself, and 404 for anyone else", async () => {
    const self = await bobClient.get(`/api/v1/users/${bob.id}`);
    expect(self.status).toBe(200);
    expect(self.json.username).toBe("bob");
    expectProblem(await bobClient.get(`/api/v1/users/${adminId}`), 404);
    expectProblem(await bobClient.get("/api/v1/users/999999"), 404);
  });

  it("admins see anyone; an unknown id is 404 and a malformed one 400", async () => {
    const res = await admin.get(`/api/v1/users/${bob.id}`);
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ id: bob.id, username: "bob", isAdmin: false });
    expectProblem(await admin.get("/api/v1/users/999999"), 404);
    expectProblem(await admin.get("/api/v1/users/abc"), 400, ["id"]);
  });
});

describe("PATCH /api/v1/users/{id}", () => {
  it("changes groups and the primary group; the primary group is always a membership", async () => {
    const ops = await createGroup(admin, "ops");
    const qa = await createGroup(admin, "qa");
    const user = await createUser(admin, "gina");
    const res = await admin.patch(`/api/v1/users/${user.id}`, { primaryGroupId: ops, groupIds: [qa] });
    expect(res.status).toBe(200);
    expect(res.json.primaryGroup).toEqual({ id: ops, name: "ops" });
    expect(res.json.groups).toEqual([
      { id: ops, name: "ops" },
      { id: qa, name: "qa" },
    ]);
    const memberships = await db().groupMembership.findMany({
      where: { userId: user.id },
      orderBy: { groupId: "asc" },
    });
    expect(memberships.map((m) => m.groupId)).toEqual([ops, qa]);

    const back = await admin.patch(`/api/v1/users/${user.id}`, { primaryGroupId: usersGroup });
    expect(back.json.primaryGroup.name).toBe("users");
    // groups come in id order
    expect(back.json.groups.map((g: { name: string }) => g.name)).toEqual(["users", "ops", "qa"]);
  });

  it("edits fields and rejects an empty change or unknown groups", async () => {
    const res = await admin.patch(`/api/v1/users/${bob.id}`, {
      displayName: "Robert",
      email: "bob@example.org",
      umask: "022",
    });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ displayName: "Robert", email: "bob@example.org", umask: "022" });
    expectProblem(await admin.patch(`/api/v1/users/${bob.id}`, {}), 400);
    expectProblem(await admin.patch(`/api/v1/users/${bob.id}`, { groupIds: [424242] }), 400, ["groupIds"]);
    expectProblem(await admin.patch(`/api/v1/users/${bob.id}`, { primaryGroupId: 424242 }), 400, ["primaryGroupId"]);
    expectProblem(await admin.patch("/api/v1/users/999999", { displayName: "x" }), 404);
    expectProblem(await bobClient.patch(`/api/v1/users/${bob.id}`, { displayName: "me" }), 403);
  });

  it("disabling a user ends their sessions (they stay ended after re-enabling)", async () => {
    const hank = await createUser(admin, "hank");
    const hankClient = await signIn("hank", hank.password);
    const disabled = await admin.patch(`/api/v1/users/${hank.id}`, { enabled: false });
    expect(disabled.status).toBe(200);
    expect(disabled.json.enabled).toBe(false);
    expect(await db().session.count({ where: { userId: hank.id } })).toBe(0);
    expectProblem(await hankClient.get("/api/v1/session"), 401);
    await admin.patch(`/api/v1/users/${hank.id}`, { enabled: true });
    expectProblem(await hankClient.get("/api/v1/session"), 401);
  });
});

describe("the last administrator", () => {
  it("cannot disable, delete or demote themself", async () => {
    const disable = await admin.patch(`/api/v1/users/${adminId}`, { enabled: false });
    expectProblem(disable, 409, ["enabled"]);
    expectProblem(await admin.delete(`/api/v1/users/${adminId}`), 409);
    const demote = await admin.patch(`/api/v1/users/${adminId}`, {
      primaryGroupId: usersGroup,
      groupIds: [usersGroup],
    });
    expectProblem(demote, 409);
    expect(demote.json.detail).toMatch(/last enabled administrator/);
    expect((await admin.get("/api/v1/session")).json.user.isAdmin).toBe(true);
  });

  it("a disabled admin does not count as another admin", async () => {
    await createUser(admin, "sleeper", { primaryGroupId: adminsGroup, enabled: false });
    const demote = await admin.patch(`/api/v1/users/${adminId}`, {
      primaryGroupId: usersGroup,
      groupIds: [usersGroup],
    });
    expectProblem(demote, 409);
    const leave = await admin.delete(`/api/v1/groups/${adminsGroup}/members/${adminId}`);
    expectProblem(leave, 409);
  });

  it("with a second enabled admin, one admin can be demoted; the last one still cannot", async () => {
    const ivy = await createUser(admin, "ivy", { groupIds: [adminsGroup] });
    expect((await admin.get(`/api/v1/users/${ivy.id}`)).json.isAdmin).toBe(true);
    const demoted = await admin.patch(`/api/v1/users/${ivy.id}`, { groupIds: [usersGroup] });
    expect(demoted.status).toBe(200);
    expect(demoted.json.isAdmin).toBe(false);
    expectProblem(
      await admin.patch(`/api/v1/users/${adminId}`, { primaryGroupId: usersGroup, groupIds: [usersGroup] }),
      409,
    );
  });
});

describe("POST /api/v1/users/{id}/password (reset)", () => {
  it("sets a new password and ends the user's sessions", async () => {
    const jill = await createUser(admin, "jill");
    const before = await signIn("jill", jill.password);
    const newPassword = "jill-reset-Pw-7731";
    const res = await admin.post(`/api/v1/users/${jill.id}/password`, { password: newPassword });
    expect(res.status).toBe(204);
    expect(res.text).toBe("");
    expectProblem(await before.get("/api/v1/session"), 401);
    expectProblem(await new ApiClient().post("/api/v1/session", { username: "jill", password: jill.password }), 401);
    expect((await signIn("jill", newPassword)).sessionCookie).toBeDefined();
  });

  it("validates the password and the user", async () => {
    expectProblem(await admin.post(`/api/v1/users/${bob.id}/password`, { password: "short" }), 400, ["password"]);
    expectProblem(await admin.post("/api/v1/users/999999/password", { password: "long-enough-1" }), 404);
    expectProblem(await bobClient.post(`/api/v1/users/${bob.id}/password`, { password: "long-enough-1" }), 403);
  });
});

describe("DELETE /api/v1/users/{id}", () => {
  it("deletes a user with their sessions and memberships", async () => {
    const kim = await createUser(admin, "kim");
    const kimClient = await signIn("kim", kim.password);
    expect((await admin.delete(`/api/v1/users/${kim.id}`)).status).toBe(204);
    expectProblem(await admin.get(`/api/v1/users/${kim.id}`), 404);
    expect(await db().session.count({ where: { userId: kim.id } })).toBe(0);
    expect(await db().groupMembership.count({ where: { userId: kim.id } })).toBe(0);
    expectProblem(await kimClient.get("/api/v1/session"), 401);
    expectProblem(await admin.delete(`/api/v1/users/${kim.id}`), 404);
  });

  it("non-admins get 403", async () => {
    expectProblem(await bobClient.delete(`/api/v1/users/${adminId}`), 403);
  });
});

describe("secrets", () => {
  it("no password, cookie or hash appears in any response or audit event", async () => {
    await expectNoSecretsLeaked();
  });
});

import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import {
  ApiClient,
  createGroup,
  createUser,
  expectProblem,
  groupIdOf,
  signIn,
  signInAdmin,
  type Json,
  type UserFixture,
} from "../helpers/api";

/**
 * VM templates and service templates through the API: text validation and disk images,
 * permissions and visibility, clone, chmod/chown, what a service's roles hold on to, and zones.
 */
let admin: ApiClient;
let a: ApiClient;
let b: ApiClient;
let c: ApiClient;
let alice: UserFixture;
let bob: UserFixture;
let aliceImage: Json;
let bobImage: Json;

async function image(client: ApiClient, name: string, datastoreId: number) {
  // an upload that never sends bytes: an INIT image is enough for a template's disk
  const res = await client.post("/api/v1/images", { source: "upload", name, datastoreId, size: 10, type: "DATABLOCK" });
  expect(res.status, res.text).toBe(201);
  return res.json as Json;
}

async function vmTemplate(client: ApiClient, body: Record<string, unknown>) {
  const res = await client.post("/api/v1/vm-templates", body);
  expect(res.status, res.text).toBe(201);
  return res.json as Json;
}

const reasons = (res: { json: Json }) => (res.json.invalid_params ?? []).map((p: Json) => p.reason);

beforeAll(async () => {
  admin = await signInAdmin();
  const ds = await admin.post("/api/v1/datastores", { name: "tpl-store" });
  expect(ds.status, ds.text).toBe(201);
  // everyone may put images in it
  expect((await admin.post(`/api/v1/datastores/${ds.json.id}/chmod`, { permissions: "604" })).status).toBe(204);
  alice = await createUser(admin, "alice");
  bob = await createUser(admin, "bob");
  // carol's only group may create images, not templates
  const imagesOnly = await createGroup(admin, "images-only", { createRights: ["IMAGE"] });
  const carol = await createUser(admin, "carol", { primaryGroupId: imagesOnly, groupIds: [imagesOnly] });
  a = await signIn("alice", alice.password);
  b = await signIn("bob", bob.password);
  c = await signIn("carol", carol.password);
  aliceImage = await image(a, "alice-disk", ds.json.id);
  bobImage = await image(b, "bob-disk", ds.json.id);
});

describe("VM templates", () => {
  it("creates from text (NAME from the text), reads, lists, updates and deletes", async () => {
    const t = await vmTemplate(a, {
      description: "web tier",
      template: `NAME = "web"
CPU = 0.5
VCPU = 2
MEMORY = 512
OS = [ ARCH = "aarch64" ]
HYPERVISOR = kvm
DISK = [ IMAGE_ID = "${aliceImage.id}", DEV_PREFIX = "vd" ]
DISK = [ TYPE = "swap", SIZE = "1024" ]
NIC = [ NETWORK_MODE = "auto" ]
LABELS = "keep me"
CONTEXT = [ NETWORK = "YES", SSH_PUBLIC_KEY = "$USER[SSH_PUBLIC_KEY]" ]
`,
    });
    expect(t).toMatchObject({
      name: "web",
      description: "web tier",
      cpu: 0.5,
      vcpu: 2,
      memoryMb: 512,
      arch: "aarch64",
      hypervisor: "kvm",
      nicCount: 1,
      fromAppId: null,
      owner: { id: alice.id, name: "alice" },
      permissions: { octal: "600" },
      disks: [
        {
          index: 0,
          imageId: aliceImage.id,
          image: { id: aliceImage.id, name: "alice-disk" },
          devPrefix: "vd",
          size: "",
          type: "",
        },
        { index: 1, imageId: null, image: null, type: "swap", size: "1024", devPrefix: "" },
      ],
    });
    expect(t.template).not.toMatch(/NAME/);
    // free attributes survive in their place
    expect(t.template).toMatch(/NIC = \[\n {2}NETWORK_MODE = "auto" \]\nLABELS = "keep me"\nCONTEXT/);
    expect(t.text.startsWith('NAME = "web"\n')).toBe(true);
    expect(t.text.slice('NAME = "web"\n'.length)).toBe(t.template);

    expect((await a.get(`/api/v1/vm-templates/${t.id}`)).json).toEqual(t);
    const list = await a.get("/api/v1/vm-templates?q=web&sort=name&order=desc&perPage=10");
    expect(list.status).toBe(200);
    expect(list.json).toMatchObject({ total: 1, page: 1, perPage: 10, items: [{ id: t.id }] });

    const patched = await a.patch(`/api/v1/vm-templates/${t.id}`, {
      template: t.template.replace('MEMORY = "512"', 'MEMORY = "2048"'),
    });
    expect(patched.status, patched.text).toBe(200);
    expect(patched.json).toMatchObject({ name: "web", memoryMb: 2048, description: "web tier" });
    const renamed = await a.patch(`/api/v1/vm-templates/${t.id}`, { name: "web-2", description: "" });
    expect(renamed.json).toMatchObject({ name: "web-2", description: "", memoryMb: 2048 });

    expect((await a.delete(`/api/v1/vm-templates/${t.id}`)).status).toBe(204);
    expectProblem(await a.get(`/api/v1/vm-templates/${t.id}`), 404);
    const audit = await admin.get(`/api/v1/audit?objectType=VM_TEMPLATE&perPage=50`);
    expect(audit.json.items.map((e: Json) => e.action)).toEqual(
      expect.arrayContaining(["vm-template.create", "vm-template.update", "vm-template.delete"]),
    );
  });

  it("answers a syntax error with the line and column, and attribute errors by name", async () => {
    const bad = await a.post("/api/v1/vm-templates", {
      name: "broken",
      template: "CPU = 1\nMEMORY = 512\nOS = [ ARCH x86_64 ]\n",
    });
    expectProblem(bad, 400, ["template"]);
    expect(reasons(bad)[0]).toMatch(/^line 3, column 13: expected "=" after ARCH in OS/);

    const semantic = await a.post("/api/v1/vm-templates", {
      name: "broken",
      template:
        'CPU = "-1"\nVCPU = 1.5\nDISK = [ DEV_PREFIX = "vd" ]\nNIC = [ MODEL = "virtio" ]\nGRAPHICS = [ TYPE = "SDL" ]',
    });
    expectProblem(semantic, 400, ["template"]);
    expect(reasons(semantic)).toEqual([
      "CPU must be a positive number",
      "VCPU must be a positive whole number",
      "MEMORY is required",
      'GRAPHICS TYPE must be VNC or SPICE, not "SDL"',
      'NIC 0: give NETWORK_MODE = "auto", NETWORK or NETWORK_ID',
      'DISK 0: give IMAGE_ID, IMAGE (a name) or a volatile TYPE ("fs" or "swap") with a SIZE',
    ]);
    expectProblem(await a.post("/api/v1/vm-templates", { template: "CPU = 1\nMEMORY = 64" }), 400, ["name"]);
    expectProblem(await a.post("/api/v1/vm-templates", { template: 'NAME = "a/b"\nCPU = 1\nMEMORY = 64' }), 400, [
      "name",
    ]);
    expect((await a.get("/api/v1/vm-templates?q=broken")).json.total).toBe(0);
  });

  it("refuses a disk image of another user, and resolves DISK by IMAGE name to IMAGE_ID", async () => {
    const theirs = await a.post("/api/v1/vm-templates", {
      name: "theirs",
      template: `CPU = 1\nMEMORY = 64\nDISK = [ IMAGE_ID = "${aliceImage.id}" ]\nDISK = [ IMAGE_ID = "${bobImage.id}" ]`,
    });
    expectProblem(theirs, 400, ["template"]);
    expect(reasons(theirs)).toEqual([`DISK 1: image ${bobImage.id} does not exist or you may not use it`]);

    const byName = await vmTemplate(a, {
      name: "by-name",
      template: 'CPU = 1\nMEMORY = 64\nDISK = [ DEV_PREFIX = "sd", IMAGE = "alice-disk", CACHE = "none" ]',
    });
    expect(byName.template).toBe(
      `CPU = "1"\nMEMORY = "64"\nDISK = [\n  DEV_PREFIX = "sd",\n  IMAGE_ID = "${aliceImage.id}",\n  CACHE = "none" ]\n`,
    );
    expect(byName.disks[0]).toMatchObject({ imageId: aliceImage.id, image: { name: "alice-disk" } });

    const bobsByName = {
      name: "bobs",
      template: 'CPU = 1\nMEMORY = 64\nDISK = [ IMAGE = "bob-disk", IMAGE_UNAME = "bob" ]',
    };
    const refused = await a.post("/api/v1/vm-templates", bobsByName);
    expectProblem(refused, 400, ["template"]);
    expect(reasons(refused)).toEqual(['DISK 0: image "bob-disk" of bob does not exist or you may not use it']);
    // alice's own images are looked up when no owner is named
    expectProblem(
      await a.post("/api/v1/vm-templates", {
        name: "x",
        template: 'CPU = 1\nMEMORY = 64\nDISK = [ IMAGE = "bob-disk" ]',
      }),
      400,
      ["template"],
    );
    // once bob shares it, it resolves to his image
    expect((await b.post(`/api/v1/images/${bobImage.id}/chmod`, { permissions: "604" })).status).toBe(204);
    const bobs = await vmTemplate(a, bobsByName);
    expect(bobs.template).toBe(`CPU = "1"\nMEMORY = "64"\nDISK = [\n  IMAGE_ID = "${bobImage.id}" ]\n`);
    expect((await b.post(`/api/v1/images/${bobImage.id}/chmod`, { permissions: "600" })).status).toBe(204);
    // already in the template, the image does not block other edits; a new disk on it would
    const edited = await a.patch(`/api/v1/vm-templates/${bobs.id}`, {
      template: bobs.template.replace('"64"', '"128"'),
    });
    expect(edited.status, edited.text).toBe(200);
    expectProblem(
      await a.patch(`/api/v1/vm-templates/${byName.id}`, {
        template: `${byName.template}DISK = [ IMAGE_ID = "${bobImage.id}" ]\n`,
      }),
      400,
      ["template"],
    );
  });

  it("shows a disk whose image was deleted as a missing image", async () => {
    const ds = (await a.get(`/api/v1/images/${aliceImage.id}`)).json.datastore.id;
    const doomed = await image(a, "doomed", ds);
    const t = await vmTemplate(a, { name: "orphan", template: `CPU=1\nMEMORY=64\nDISK=[IMAGE_ID=${doomed.id}]` });
    expect((await a.delete(`/api/v1/images/${doomed.id}`)).status).toBe(204);
    const after = (await a.get(`/api/v1/vm-templates/${t.id}`)).json;
    expect(after.disks).toEqual([{ index: 0, imageId: doomed.id, image: null, type: "", devPrefix: "", size: "" }]);
    // and the template can still be edited
    const edited = await a.patch(`/api/v1/vm-templates/${t.id}`, { template: after.template.replace("64", "96") });
    expect(edited.status, edited.text).toBe(200);
  });

  it("keeps names unique per owner (409 on name)", async () => {
    const text = "CPU = 1\nMEMORY = 64";
    const first = await vmTemplate(a, { name: "dup", template: text });
    expectProblem(await a.post("/api/v1/vm-templates", { name: "dup", template: text }), 409, ["name"]);
    expectProblem(await a.post("/api/v1/vm-templates", { template: `NAME = dup\n${text}` }), 409, ["name"]);
    // another owner may use the name
    const bobs = await vmTemplate(b, { name: "dup", template: text });
    const other = await vmTemplate(a, { name: "dup-2", template: text });
    expectProblem(await a.patch(`/api/v1/vm-templates/${other.id}`, { name: "dup" }), 409, ["name"]);
    expectProblem(await a.post(`/api/v1/vm-templates/${first.id}/clone`, { name: "dup-2" }), 409, ["name"]);
    // chown to someone who has one of that name
    expectProblem(await admin.post(`/api/v1/vm-templates/${bobs.id}/chown`, { ownerId: alice.id }), 409, ["ownerId"]);
  });

  it("hides others' templates (404), lets the group USE but not MANAGE (403), clones and chowns", async () => {
    const t = await vmTemplate(a, {
      name: "shared",
      template: `CPU = 1\nMEMORY = 64\nDISK = [ IMAGE_ID = "${aliceImage.id}" ]`,
    });
    expectProblem(await b.get(`/api/v1/vm-templates/${t.id}`), 404);
    expectProblem(await b.patch(`/api/v1/vm-templates/${t.id}`, { description: "x" }), 404);
    expectProblem(await b.post(`/api/v1/vm-templates/${t.id}/clone`, { name: "mine" }), 404);
    expect((await b.get("/api/v1/vm-templates?perPage=200")).json.items.map((i: Json) => i.id)).not.toContain(t.id);

    // alice and bob share the users group
    expect((await a.post(`/api/v1/vm-templates/${t.id}/chmod`, { permissions: "640" })).status).toBe(204);
    expect((await b.get(`/api/v1/vm-templates/${t.id}`)).json).toMatchObject({
      name: "shared",
      permissions: { octal: "640" },
    });
    expectProblem(await b.patch(`/api/v1/vm-templates/${t.id}`, { description: "x" }), 403);
    expectProblem(await b.delete(`/api/v1/vm-templates/${t.id}`), 403);
    expectProblem(await b.post(`/api/v1/vm-templates/${t.id}/chmod`, { permissions: "666" }), 403);

    const copy = await b.post(`/api/v1/vm-templates/${t.id}/clone`, { name: "bobs-copy" });
    expect(copy.status, copy.text).toBe(201);
    expect(copy.json).toMatchObject({
      name: "bobs-copy",
      template: t.template,
      owner: { id: bob.id },
      permissions: { octal: "600" },
      disks: [{ imageId: aliceImage.id }],
    });

    const users = await groupIdOf(admin, "users");
    expectProblem(await a.post(`/api/v1/vm-templates/${t.id}/chown`, { ownerId: bob.id }), 403);
    expect((await admin.post(`/api/v1/vm-templates/${t.id}/chown`, { ownerId: bob.id, groupId: users })).status).toBe(
      204,
    );
    const now = (await b.get(`/api/v1/vm-templates/${t.id}`)).json;
    expect(now.owner).toEqual({ id: bob.id, name: "bob" });
    // alice keeps what the group bits give her
    expectProblem(await a.patch(`/api/v1/vm-templates/${t.id}`, { description: "x" }), 403);
  });

  it("refuses creating or cloning without the create right", async () => {
    const text = "CPU = 1\nMEMORY = 64";
    expectProblem(await c.post("/api/v1/vm-templates", { name: "nope", template: text }), 403);
    const t = await vmTemplate(a, { name: "public", template: text });
    expect((await a.post(`/api/v1/vm-templates/${t.id}/chmod`, { permissions: "604" })).status).toBe(204);
    expect((await c.get(`/api/v1/vm-templates/${t.id}`)).status).toBe(200);
    expectProblem(await c.post(`/api/v1/vm-templates/${t.id}/clone`, { name: "nope" }), 403);
    expectProblem(
      await c.post("/api/v1/service-templates", {
        name: "nope",
        roles: [{ name: "r", cardinality: 1, vm_template: t.id }],
      }),
      403,
    );
  });
});

describe("service templates", () => {
  let base: Json;
  let worker: Json;

  beforeAll(async () => {
    base = await vmTemplate(a, { name: "svc-base", template: "CPU = 1\nMEMORY = 256" });
    worker = await vmTemplate(a, { name: "svc-worker", template: "CPU = 2\nMEMORY = 512" });
  });

  const roles = () => [
    { name: "master", cardinality: 1, vm_template: base.id, elasticity_policies: [] },
    { name: "worker", cardinality: 3, vm_template: worker.id, parents: ["master"], min_vms: 1 },
  ];

  it("creates, reads, lists, updates, clones and deletes; OneFlow keys pass through", async () => {
    const res = await a.post("/api/v1/service-templates", {
      name: "k8s",
      description: "a cluster",
      deployment: "straight",
      roles: roles(),
      networks: { private: "M|network|Private||id:" },
      ready_status_gate: true,
    });
    expect(res.status, res.text).toBe(201);
    const s = res.json;
    expect(s).toMatchObject({
      name: "k8s",
      description: "a cluster",
      deployment: "straight",
      owner: { id: alice.id },
      roles: [
        { name: "master", cardinality: 1, parents: [], vmTemplate: { id: base.id, name: "svc-base" } },
        { name: "worker", cardinality: 3, parents: ["master"], vmTemplate: { id: worker.id, name: "svc-worker" } },
      ],
      body: {
        name: "k8s",
        description: "a cluster",
        deployment: "straight",
        networks: { private: "M|network|Private||id:" },
        ready_status_gate: true,
        roles: [{ elasticity_policies: [] }, { min_vms: 1 }],
      },
    });
    expect((await a.get(`/api/v1/service-templates/${s.id}`)).json).toEqual(s);
    expect((await a.get("/api/v1/service-templates?q=k8s")).json).toMatchObject({ total: 1, items: [{ id: s.id }] });

    const renamed = await a.patch(`/api/v1/service-templates/${s.id}`, { name: "k8s-2" });
    expect(renamed.status, renamed.text).toBe(200);
    expect(renamed.json.body).toMatchObject({ name: "k8s-2", networks: { private: "M|network|Private||id:" } });
    const replaced = await a.patch(`/api/v1/service-templates/${s.id}`, {
      body: { name: "k8s-3", deployment: "none", roles: [roles()[0]] },
    });
    expect(replaced.json).toMatchObject({ name: "k8s-3", deployment: "none", roles: [{ name: "master" }] });
    expect(replaced.json.body.networks).toBeUndefined();

    const copy = await a.post(`/api/v1/service-templates/${s.id}/clone`, { name: "k8s-copy" });
    expect(copy.status, copy.text).toBe(201);
    expect(copy.json).toMatchObject({ name: "k8s-copy", body: { name: "k8s-copy" }, roles: [{ name: "master" }] });

    expectProblem(await b.get(`/api/v1/service-templates/${s.id}`), 404);
    expect((await a.post(`/api/v1/service-templates/${s.id}/chmod`, { permissions: "640" })).status).toBe(204);
    expect((await b.get(`/api/v1/service-templates/${s.id}`)).status).toBe(200);
    expectProblem(await b.patch(`/api/v1/service-templates/${s.id}`, { description: "x" }), 403);
    expectProblem(await b.delete(`/api/v1/service-templates/${s.id}`), 403);

    expect((await a.delete(`/api/v1/service-templates/${s.id}`)).status).toBe(204);
    expect((await a.delete(`/api/v1/service-templates/${copy.json.id}`)).status).toBe(204);
    expectProblem(await a.get(`/api/v1/service-templates/${s.id}`), 404);
  });

  it("validates roles: duplicates, unknown parents, cycles, and VM templates the user may use", async () => {
    const post = (body: Record<string, unknown>) => a.post("/api/v1/service-templates", { name: "bad", ...body });
    const r = (name: string, parents?: string[], vm = base.id) => ({ name, cardinality: 1, vm_template: vm, parents });
    expectProblem(await post({ roles: [r("x"), r("x")] }), 400, ["roles.1.name"]);
    expectProblem(await post({ roles: [r("x", ["ghost"])] }), 400, ["roles.0.parents"]);
    const cycle = await post({ roles: [r("x", ["y"]), r("y", ["x"])] });
    expectProblem(cycle, 400, ["roles.0.parents"]);
    expect(reasons(cycle)).toEqual(["Role x is in a cycle of parents: x → y → x"]);
    expectProblem(await post({ roles: [] }), 400, ["roles"]);
    expectProblem(await post({ deployment: "sideways", roles: [r("x")] }), 400, ["deployment"]);

    const bobsTemplate = await vmTemplate(b, { name: "bobs-vm", template: "CPU = 1\nMEMORY = 64" });
    const notHers = await post({ roles: [r("x"), r("y", [], bobsTemplate.id), r("z", [], 999999)] });
    expectProblem(notHers, 400, ["roles.1.vm_template", "roles.2.vm_template"]);
    expect(reasons(notHers)[0]).toBe(`role y: VM template ${bobsTemplate.id} does not exist or you may not use it`);
    expect((await a.get("/api/v1/service-templates?q=bad")).json.total).toBe(0);

    // an update names the fields inside its `body`
    const ok = await a.post("/api/v1/service-templates", { name: "fine", roles: [r("x")] });
    expect(ok.status, ok.text).toBe(201);
    const patch = (roles: unknown[]) =>
      a.patch(`/api/v1/service-templates/${ok.json.id}`, { body: { name: "fine", roles } });
    expectProblem(await patch([r("x"), r("y", [], bobsTemplate.id)]), 400, ["body.roles.1.vm_template"]);
    expectProblem(await patch([r("x", ["x"])]), 400, ["body.roles.0.parents"]);
  });

  it("refuses deleting a VM template a role uses (409 naming the service)", async () => {
    const s = await a.post("/api/v1/service-templates", { name: "holder", roles: roles() });
    expect(s.status, s.text).toBe(201);
    const refused = await a.delete(`/api/v1/vm-templates/${worker.id}`);
    expectProblem(refused, 409);
    expect(refused.json.detail).toContain(`holder (#${s.json.id})`);
    expect((await a.delete(`/api/v1/service-templates/${s.json.id}`)).status).toBe(204);
    expect((await a.delete(`/api/v1/vm-templates/${worker.id}`)).status).toBe(204);
    worker = await vmTemplate(a, { name: "svc-worker", template: "CPU = 2\nMEMORY = 512" });
  });

  it("keeps names unique per owner", async () => {
    const body = { name: "same", roles: [roles()[0]] };
    expect((await a.post("/api/v1/service-templates", body)).status).toBe(201);
    expectProblem(await a.post("/api/v1/service-templates", body), 409, ["name"]);
  });
});

describe("references to objects the viewer may not use", () => {
  it("a VM template shows a disk image the viewer may not use by its id alone, in the detail and the list", async () => {
    const t = await vmTemplate(a, {
      name: "private-disk-vm",
      template: `CPU = 1\nMEMORY = 64\nDISK = [ IMAGE_ID = "${aliceImage.id}" ]\nDISK = [ TYPE = "swap", SIZE = "64" ]`,
    });
    expect((await a.post(`/api/v1/vm-templates/${t.id}/chmod`, { permissions: "604" })).status).toBe(204);
    // the owner, who may use the image, sees it whole
    expect((await a.get(`/api/v1/vm-templates/${t.id}`)).json.disks[0].image).toEqual({
      id: aliceImage.id,
      name: "alice-disk",
      state: aliceImage.state,
    });

    const hidden = {
      index: 0,
      imageId: aliceImage.id,
      image: { id: aliceImage.id },
      type: "",
      devPrefix: "",
      size: "",
    };
    const detail = await b.get(`/api/v1/vm-templates/${t.id}`);
    expect(detail.status, detail.text).toBe(200);
    expect(detail.json.disks[0]).toEqual(hidden);
    expect(detail.text).not.toContain("alice-disk");
    const list = await b.get("/api/v1/vm-templates?q=private-disk-vm");
    expect(list.json.items).toHaveLength(1);
    expect(list.json.items[0].disks[0]).toEqual(hidden);
    expect(list.text).not.toContain("alice-disk");
    // what bob's own copy shows him follows the same rule
    const copy = await b.post(`/api/v1/vm-templates/${t.id}/clone`, { name: "private-disk-copy" });
    expect(copy.status, copy.text).toBe(201);
    expect(copy.json.disks[0].image).toEqual({ id: aliceImage.id });

    // decided per request: once bob may use the image, he sees it
    expect((await a.post(`/api/v1/images/${aliceImage.id}/chmod`, { permissions: "604" })).status).toBe(204);
    expect((await b.get(`/api/v1/vm-templates/${t.id}`)).json.disks[0].image).toMatchObject({ name: "alice-disk" });
    expect((await a.post(`/api/v1/images/${aliceImage.id}/chmod`, { permissions: "600" })).status).toBe(204);
  });

  it("a service template shows a role's VM template the viewer may not use by its id alone, in the detail and the list", async () => {
    const vm = await vmTemplate(a, { name: "private-role-vm", template: "CPU = 1\nMEMORY = 64" });
    const open = await vmTemplate(a, { name: "open-role-vm", template: "CPU = 1\nMEMORY = 64" });
    expect((await a.post(`/api/v1/vm-templates/${open.id}/chmod`, { permissions: "604" })).status).toBe(204);
    const res = await a.post("/api/v1/service-templates", {
      name: "private-roles",
      roles: [
        { name: "hidden", cardinality: 1, vm_template: vm.id },
        { name: "shown", cardinality: 1, vm_template: open.id },
      ],
    });
    expect(res.status, res.text).toBe(201);
    const s = res.json;
    expect(s.roles[0].vmTemplate).toEqual({ id: vm.id, name: "private-role-vm" });
    expect((await a.post(`/api/v1/service-templates/${s.id}/chmod`, { permissions: "604" })).status).toBe(204);

    const roles = [
      { name: "hidden", cardinality: 1, parents: [], vmTemplate: { id: vm.id }, vmTemplateId: vm.id },
      {
        name: "shown",
        cardinality: 1,
        parents: [],
        vmTemplate: { id: open.id, name: "open-role-vm" },
        vmTemplateId: open.id,
      },
    ];
    const detail = await b.get(`/api/v1/service-templates/${s.id}`);
    expect(detail.status, detail.text).toBe(200);
    expect(detail.json.roles).toEqual(roles);
    expect(detail.text).not.toContain("private-role-vm");
    const list = await b.get("/api/v1/service-templates?q=private-roles");
    expect(list.json.items).toHaveLength(1);
    expect(list.json.items[0].roles).toEqual(roles);
    expect(list.text).not.toContain("private-role-vm");
  });

  it("refusing to delete a VM template names a service the owner may not see by its id alone", async () => {
    const shared = await vmTemplate(a, { name: "held-vm", template: "CPU = 1\nMEMORY = 64" });
    expect((await a.post(`/api/v1/vm-templates/${shared.id}/chmod`, { permissions: "604" })).status).toBe(204);
    const mine = await a.post("/api/v1/service-templates", {
      name: "alices-holder",
      roles: [{ name: "r", cardinality: 1, vm_template: shared.id }],
    });
    const bobs = await b.post("/api/v1/service-templates", {
      name: "bobs-secret-holder",
      roles: [{ name: "r", cardinality: 1, vm_template: shared.id }],
    });
    expect([mine.status, bobs.status]).toEqual([201, 201]);
    const refused = await a.delete(`/api/v1/vm-templates/${shared.id}`);
    expectProblem(refused, 409);
    expect(refused.json.detail).toContain(`alices-holder (#${mine.json.id}), #${bobs.json.id}`);
    expect(refused.text).not.toContain("bobs-secret-holder");
  });
});

describe("zones", () => {
  it("templates of another zone do not exist here, nor may this zone's use their parts", async () => {
    const remote = await db().zone.create({ data: { name: "tpl-remote" } });
    const users = await groupIdOf(admin, "users");
    const owned = { ownerId: alice.id, groupId: users, ownerRights: 6, otherRights: 4 };
    const vm = await db().vmTemplate.create({
      data: { name: "remote-vm", zoneId: remote.id, template: 'CPU = "1"\nMEMORY = "64"\n', ...owned },
    });
    const svc = await db().serviceTemplate.create({
      data: {
        name: "remote-svc",
        zoneId: remote.id,
        body: JSON.stringify({ name: "remote-svc", roles: [{ name: "r", cardinality: 1, vm_template: vm.id }] }),
        ...owned,
      },
    });
    const remoteDs = await db().datastore.create({
      data: {
        name: "remote-ds",
        zoneId: remote.id,
        basePath: "/nonexistent/remote",
        ownerId: alice.id,
        groupId: users,
      },
    });
    const remoteImage = await db().image.create({
      data: {
        name: "remote-img",
        origin: "UPLOAD",
        zoneId: remote.id,
        datastoreId: remoteDs.id,
        ownerId: alice.id,
        groupId: users,
      },
    });
    for (const [path, id] of [
      ["vm-templates", vm.id],
      ["service-templates", svc.id],
    ] as const) {
      expectProblem(await a.get(`/api/v1/${path}/${id}`), 404);
      expectProblem(await a.patch(`/api/v1/${path}/${id}`, { description: "x" }), 404);
      expectProblem(await a.delete(`/api/v1/${path}/${id}`), 404);
      expectProblem(await a.post(`/api/v1/${path}/${id}/clone`, { name: "copy" }), 404);
      expectProblem(await a.post(`/api/v1/${path}/${id}/chmod`, { permissions: "600" }), 404);
      expectProblem(await admin.post(`/api/v1/${path}/${id}/chown`, { groupId: users }), 404);
      expect((await admin.get(`/api/v1/${path}?perPage=200`)).json.items.map((i: Json) => i.id)).not.toContain(id);
    }
    expectProblem(
      await a.post("/api/v1/service-templates", {
        name: "uses-remote",
        roles: [{ name: "r", cardinality: 1, vm_template: vm.id }],
      }),
      400,
      ["roles.0.vm_template"],
    );
    const disk = await a.post("/api/v1/vm-templates", {
      name: "uses-remote",
      template: `CPU = 1\nMEMORY = 64\nDISK = [ IMAGE_ID = "${remoteImage.id}" ]`,
    });
    expectProblem(disk, 400, ["template"]);
    // names are unique per owner in every zone, as the database has it
    expectProblem(await a.post("/api/v1/vm-templates", { name: "remote-vm", template: "CPU = 1\nMEMORY = 64" }), 409, [
      "name",
    ]);
  });
});

import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { loadCtxUser } from "@/lib/auth/load-user";
import { localZone } from "@/lib/zones/local-zone";
import type { Ctx } from "@/lib/auth/context";
import { seedApps } from "@/lib/seed/seed-apps";
import { seedUser } from "@/lib/seed/seed-base";
import { listAppFacets, listApps, type ListAppsInput } from "@/lib/apps/list-apps";
import { listAppFacetsReference, listAppIdsReference } from "@/lib/apps/list-apps-reference";
import { packTags } from "@/lib/apps/app-dto";
import { ftsMatch } from "@/lib/apps/catalog-query";
import { expectProblem, signInAdmin } from "../helpers/api";

/**
 * The catalog's index (visibility classes, counts kept by triggers, trigram search, cursors)
 * must answer exactly what the plain query answered: same rows, same order, same totals, same
 * facet counts, for every kind of user, and right after any write that changes what a user
 * sees. lib/apps/list-apps-reference.ts is that plain query.
 */

const users: Record<string, number> = {};
let zoneId = 0;
let markets: { id: number; name: string }[] = [];

async function ctxOf(name: string): Promise<Ctx> {
  return { user: (await loadCtxUser(db(), users[name]))!, zone: await localZone(), requestId: "test", via: "system" };
}

const page = (input: Partial<ListAppsInput> = {}): ListAppsInput => ({
  page: 1,
  perPage: 25,
  sort: "name",
  order: "asc",
  ...input,
});

/** Filters, sorts, orders and pages, including deep and empty pages and LIKE's wildcards. */
function inputs(): ListAppsInput[] {
  return [
    page(),
    page({ order: "desc" }),
    page({ page: 7 }),
    page({ page: 400 }),
    page({ sort: "createdAt", order: "desc", page: 3 }),
    page({ sort: "sizeBytes", order: "asc", page: 2, perPage: 50 }),
    page({ sort: "version", order: "desc", perPage: 200 }),
    page({ sort: "state", page: 5 }),
    page({ sort: "type", order: "desc", page: 11 }),
    page({ sort: "id", order: "desc", page: 4 }),
    page({ type: "VMTEMPLATE" }),
    page({ state: "ERROR", sort: "createdAt" }),
    page({ type: "IMAGE", hypervisor: "kvm", tags: ["cloud-init"], q: "ubuntu" }),
    page({ q: "UBUNTU", sort: "createdAt", order: "desc", page: 2 }),
    page({ q: "lts" }),
    page({ q: "er", perPage: 100 }),
    page({ q: "r1_", perPage: 100 }),
    page({ q: "100%", perPage: 100 }),
    page({ q: 'say "hi"' }),
    page({ q: "ÉTÉ" }),
    page({ q: "été" }),
    page({ tags: ["linux", "minimal"], sort: "sizeBytes", order: "desc" }),
    page({ tags: ["gpu"], architecture: "aarch64" }),
    page({ tags: ["Web"] }),
    page({ tags: ["c_s"] }),
    page({ format: "qcow2", zoneId, page: 2 }),
    page({ marketplaceId: markets[2]?.id, sort: "createdAt" }),
    page({ ownerId: users.bob, state: "READY" }),
    page({ ownerId: users.bob, marketplaceId: markets[0]?.id, order: "desc" }),
    page({ hypervisor: "vcenter", format: "raw", q: "windows", sort: "version" }),
    page({ hypervisor: "nothing-such" }),
  ];
}

async function expectSameAsReference(ctx: Ctx, input: ListAppsInput) {
  const [mine, ref] = await Promise.all([listApps({ ctx, input }), listAppIdsReference({ ctx, input })]);
  const label = `${ctx.user.username} ${JSON.stringify(input)}`;
  expect(
    mine.items.map((i) => i.id),
    label,
  ).toEqual(ref.ids);
  expect(mine.total, label).toBe(ref.total);
  return mine;
}

async function expectAllSame(names = Object.keys(users)) {
  for (const name of names) {
    const ctx = await ctxOf(name);
    for (const input of inputs()) await expectSameAsReference(ctx, input);
    expect(await listAppFacets({ ctx }).then((f) => f.counts), `${name} facets`).toEqual(
      await listAppFacetsReference({ ctx }),
    );
  }
}

beforeAll(async () => {
  const seeded = await seedApps({ count: 2500, seed: 7 });
  markets = seeded.marketplaces;
  zoneId = (await localZone()).id;
  for (const u of await db().user.findMany({ select: { id: true, username: true } }))
    users[u.username.replace(/^seed-/, "")] = u.id;

  // a user in no group at all, and a user who sees a marketplace only through a VDC
  const lonely = await seedUser(db(), { username: "lonely", password: "x", groups: ["users"] });
  await db().groupMembership.deleteMany({ where: { userId: lonely.id } });
  users.lonely = lonely.id;
  const team = await db().group.create({ data: { name: "vdc-team" } });
  users.vdc = (await seedUser(db(), { username: "vdc", password: "x", groups: ["vdc-team"] })).id;
  const vdc = await db().vdc.create({ data: { name: "catalog-vdc", groups: { create: [{ groupId: team.id }] } } });
  await db().vdcResource.create({
    data: { vdcId: vdc.id, zoneId, resourceType: "MARKETPLACE", resourceId: markets[2].id },
  });

  // names, tags and text that LIKE treats in its own ways: wildcards, quotes, case, accents
  const sample = await db().marketplaceApp.findFirstOrThrow({ where: { marketplaceId: markets[1].id } });
  const odd = [
    { name: "100% pure r1_x", tags: packTags(["web", "c_s"]), description: 'it says "hi"' },
    { name: "r1-y", tags: packTags(["WEB", "cas"]), description: "Summer: ÉTÉ" },
    { name: "summer été", tags: ",,web,,web,", description: "" },
  ];
  await db().marketplaceApp.createMany({
    data: odd.map((o, k) => ({
      ...o,
      marketplaceId: sample.marketplaceId,
      zoneId: sample.zoneId,
      ownerId: sample.ownerId,
      groupId: sample.groupId,
      otherRights: 4,
      version: `odd-${k}`,
      createdAt: sample.createdAt,
    })),
  });
}, 240_000);

describe("the catalog's index answers what the plain query answered", () => {
  it("uses the trigram table only where it finds every LIKE match", () => {
    expect(ftsMatch("ubuntu", ["cloud-init"])).toBe('"ubuntu" AND "tags" : ",cloud-init,"');
    expect(ftsMatch('say "hi"', [])).toBe('"say ""hi"""');
    // too short for a trigram, or LIKE wildcards a phrase would take literally
    expect(ftsMatch("er", ["c_s"])).toBeNull();
    expect(ftsMatch("100%", ["x"])).toBe('"tags" : ",x,"');
  });

  it("pages, totals and facets, for an admin, users in 0, 1 and 2 groups and a VDC member", async () => {
    await expectAllSame();
    // the VDC member sees the granted marketplace's private apps
    const vdc = await ctxOf("vdc");
    const inMarket = await listApps({ ctx: vdc, input: page({ marketplaceId: markets[2].id }) });
    expect(inMarket.total).toBe(await db().marketplaceApp.count({ where: { marketplaceId: markets[2].id } }));
  }, 240_000);

  it("counts, for each type, state, zone, marketplace and owner, the apps that filter answers", async () => {
    const filterOf = {
      types: "type",
      states: "state",
      zoneIds: "zoneId",
      marketplaceIds: "marketplaceId",
      ownerIds: "ownerId",
    } as const;
    for (const name of ["admin", "alice", "lonely", "vdc"]) {
      const ctx = await ctxOf(name);
      const { counts } = await listAppFacets({ ctx });
      const all = (await listApps({ ctx, input: page() })).total;
      for (const [key, filter] of Object.entries(filterOf) as [
        keyof typeof filterOf,
        (typeof filterOf)[keyof typeof filterOf],
      ][]) {
        const label = `${name} ${key}`;
        // every usable app has one value of each: none is left out, none counted twice
        expect(
          counts[key].reduce((n, c) => n + c.count, 0),
          label,
        ).toBe(all);
        for (const { value, count } of counts[key]) {
          const input = page({ [filter]: filter.endsWith("Id") ? Number(value) : value } as Partial<ListAppsInput>);
          expect((await listApps({ ctx, input })).total, `${label} ${value}`).toBe(count);
        }
      }
    }
    // the seed spreads the apps over several marketplaces and owners, types and states
    const admin = (await listAppFacets({ ctx: await ctxOf("admin") })).counts;
    for (const key of ["types", "states", "marketplaceIds", "ownerIds"] as const)
      expect(admin[key].length, key).toBeGreaterThan(1);
    expect(admin.marketplaceIds.map((c) => c.value)).toEqual(expect.arrayContaining(markets.map((m) => String(m.id))));
  }, 240_000);

  it("walks every page by cursor exactly as by page number", async () => {
    for (const name of ["alice", "admin"]) {
      const ctx = await ctxOf(name);
      for (const input of [
        page({ perPage: 200 }),
        page({ sort: "createdAt", order: "desc", perPage: 150 }),
        page({ sort: "sizeBytes", perPage: 200 }),
        page({ sort: "id", order: "desc", perPage: 200, state: "READY" }),
        page({ sort: "state", order: "desc", perPage: 40, q: "linux", tags: ["ssh"] }),
        page({ sort: "version", perPage: 100, q: "ER" }),
      ]) {
        let next = await expectSameAsReference(ctx, input);
        let n = 1;
        while (next.nextCursor) {
          n++;
          const byCursor = await listApps({ ctx, input: { ...input, page: 1, cursor: next.nextCursor } });
          const byNumber = await listAppIdsReference({ ctx, input: { ...input, page: n } });
          expect(byCursor.page).toBe(n);
          expect(
            byCursor.items.map((i) => i.id),
            `${name} ${JSON.stringify(input)} page ${n}`,
          ).toEqual(byNumber.ids);
          expect(byCursor.total).toBe(byNumber.total);
          next = byCursor;
        }
        expect(n, `${JSON.stringify(input)} pages`).toBe(Math.max(1, Math.ceil(next.total / input.perPage)));
      }
    }
  }, 240_000);

  it("refuses a cursor of another sort or order, or one that is not a cursor", async () => {
    const ctx = await ctxOf("alice");
    const first = await listApps({ ctx, input: page() });
    expect(first.nextCursor).toBeDefined();
    await expect(listApps({ ctx, input: page({ order: "desc", cursor: first.nextCursor }) })).rejects.toMatchObject({
      code: "INVALID",
      invalidParams: [{ name: "cursor", reason: expect.any(String) }],
    });
    await expect(listApps({ ctx, input: page({ cursor: "bm90IGEgY3Vyc29y" }) })).rejects.toMatchObject({
      code: "INVALID",
    });
  });

  it("answers cursors and facet counts over HTTP", async () => {
    const admin = await signInAdmin();
    const first = await admin.get("/api/v1/apps?sort=createdAt&order=desc&perPage=3&state=READY");
    expect(first.status, first.text).toBe(200);
    const second = await admin.get(
      `/api/v1/apps?sort=createdAt&order=desc&perPage=3&state=READY&cursor=${first.json.nextCursor}`,
    );
    const byNumber = await admin.get("/api/v1/apps?sort=createdAt&order=desc&perPage=3&state=READY&page=2");
    expect(second.json).toEqual(byNumber.json);
    expectProblem(await admin.get(`/api/v1/apps?sort=name&perPage=3&cursor=${first.json.nextCursor}`), 400, ["cursor"]);
    const facets = await admin.get("/api/v1/apps/facets");
    expect(facets.json.counts.formats.map((c: { value: string }) => c.value)).toEqual(facets.json.formats);
    expect(facets.json.counts.tags.find((c: { value: string }) => c.value === "web")).toEqual({
      value: "web",
      count: expect.any(Number),
    });
    expect(facets.json.counts.marketplaceIds.find((c: { value: string }) => c.value === String(markets[0].id))).toEqual(
      {
        value: String(markets[0].id),
        count: expect.any(Number),
      },
    );
  });

  it("reflects every write at once: chmod, chown, delete, state, tags, memberships, VDC grants", async () => {
    const apps = await db().marketplaceApp.findMany({
      where: { marketplaceId: { in: markets.map((m) => m.id) } },
      orderBy: { id: "asc" },
      take: 400,
    });
    const pick = (k: number) => apps[k * 37];
    const check = () => expectAllSame(["alice", "bob", "frank", "lonely", "vdc"]);

    // chmod: private to alice's group, then to nobody, then shared with everyone (a batch)
    await db().marketplaceApp.update({ where: { id: pick(0).id }, data: { otherRights: 0, groupRights: 4 } });
    await db().marketplaceApp.update({
      where: { id: pick(1).id },
      data: { ownerRights: 0, groupRights: 0, otherRights: 0 },
    });
    await db().marketplaceApp.updateMany({
      where: { id: { in: [pick(2).id, pick(3).id, pick(4).id] } },
      data: { otherRights: 4 },
    });
    // chown to the lonely user, private
    await db().marketplaceApp.update({
      where: { id: pick(5).id },
      data: { ownerId: users.lonely, groupId: pick(5).groupId, ownerRights: 6, groupRights: 0, otherRights: 0 },
    });
    // state, tags, format and text changes; deletes
    await db().marketplaceApp.update({ where: { id: pick(6).id }, data: { state: "DISABLED" } });
    await db().marketplaceApp.update({
      where: { id: pick(7).id },
      data: { tags: packTags(["brand-new", "gpu"]), name: "Ubuntu renamed", format: "vmdk" },
    });
    await db().marketplaceApp.update({ where: { id: pick(8).id }, data: { tags: "" } });
    await db().marketplaceApp.deleteMany({ where: { id: { in: [pick(9).id, pick(10).id] } } });
    await check();

    // group membership: bob joins research, then alice leaves engineering
    const research = await db().group.findUniqueOrThrow({ where: { name: "seed-research" } });
    const engineering = await db().group.findUniqueOrThrow({ where: { name: "seed-engineering" } });
    await db().groupMembership.create({ data: { userId: users.bob, groupId: research.id } });
    await db().groupMembership.delete({ where: { userId_groupId: { userId: users.alice, groupId: engineering.id } } });
    await check();

    // VDC grants: frank's group is granted every marketplace of the zone, then loses that and the
    // VDC member loses their marketplace
    const usersGroup = await db().group.findUniqueOrThrow({ where: { name: "users" } });
    const vdc = await db().vdc.create({ data: { name: "zone-vdc", groups: { create: [{ groupId: usersGroup.id }] } } });
    const grant = await db().vdcResource.create({
      data: { vdcId: vdc.id, zoneId, resourceType: "MARKETPLACE", resourceId: null },
    });
    const frank = await listApps({ ctx: await ctxOf("frank"), input: page() });
    expect(frank.total).toBe(await db().marketplaceApp.count());
    await check();
    await db().vdcResource.delete({ where: { id: grant.id } });
    await db().vdcResource.deleteMany({ where: { resourceId: markets[2].id } });
    await check();
  }, 240_000);
});

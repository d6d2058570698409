import { mkdir } from "node:fs/promises";
import path from "node:path";
import { getConfig } from "@/lib/config";
import { db, Prisma } from "@/lib/db/client";
import { generatePassword } from "@/lib/auth/password";
import { ADMINS_GROUP, USERS_GROUP } from "@/lib/groups/builtin";
import { DEFAULT_GROUP_CREATE_RIGHTS } from "@/lib/permissions/resources";
import { sharedRights } from "@/lib/permissions/rights";
import { localZone } from "@/lib/zones/local-zone";
import { marketDriverFor, marketOriginInclude } from "@/lib/markets/market-spec";
import { packTags } from "@/lib/apps/app-dto";
import { seedGroup, seedUser } from "./seed-base";

/**
 * A catalog for scale: N apps with varied, realistic metadata spread over a few http
 * marketplaces, owned by several users and groups with mixed permissions. The apps are
 * metadata only: no bytes are written, so importing or downloading one fails (the file is
 * missing); browsing, filtering, editing and deleting work. Runs again add N more apps.
 * The same `seed` and starting point (the apps already seeded) give the same apps, apart from
 * their dates (spread over the three years before now).
 */

const PREFIX = "seed-";
const GROUPS = [
  { name: `${PREFIX}engineering`, description: "Seeded: platform engineering" },
  { name: `${PREFIX}research`, description: "Seeded: research computing" },
  { name: `${PREFIX}operations`, description: "Seeded: operations" },
];
/** username, display name, groups (the first is the primary one) */
const USERS: [string, string, string[]][] = [
  [`${PREFIX}alice`, "Alice Martin", [`${PREFIX}engineering`, `${PREFIX}research`]],
  [`${PREFIX}bob`, "Bob Nguyen", [`${PREFIX}engineering`]],
  [`${PREFIX}carol`, "Carol Schmidt", [`${PREFIX}research`]],
  [`${PREFIX}dave`, "Dave Okafor", [`${PREFIX}operations`]],
  [`${PREFIX}erin`, "Erin Rossi", [`${PREFIX}operations`, `${PREFIX}engineering`]],
  [`${PREFIX}frank`, "Frank Li", [USERS_GROUP]],
];
const MARKETS = [
  { name: `${PREFIX}http-main`, description: "Seeded: the main catalog" },
  { name: `${PREFIX}http-community`, description: "Seeded: community appliances" },
  { name: `${PREFIX}http-research`, description: "Seeded: research images" },
  { name: `${PREFIX}http-archive`, description: "Seeded: older releases" },
];

interface Product {
  title: string;
  versions: string[];
  tags: string[];
  windows?: boolean;
  /** an appliance: an application on top of an OS image */
  appliance?: string;
}
const PRODUCTS: Product[] = [
  { title: "Ubuntu", versions: ["20.04 LTS", "22.04 LTS", "24.04 LTS", "24.10"], tags: ["ubuntu", "linux"] },
  { title: "Debian", versions: ["11", "12", "13"], tags: ["debian", "linux"] },
  { title: "Rocky Linux", versions: ["8.10", "9.4", "9.5"], tags: ["rocky", "linux", "rhel"] },
  { title: "AlmaLinux", versions: ["8.10", "9.5"], tags: ["alma", "linux", "rhel"] },
  { title: "CentOS Stream", versions: ["9", "10"], tags: ["centos", "linux", "rhel"] },
  { title: "Fedora", versions: ["40", "41"], tags: ["fedora", "linux"] },
  { title: "Alpine Linux", versions: ["3.19", "3.20", "3.21"], tags: ["alpine", "linux", "minimal"] },
  { title: "openSUSE Leap", versions: ["15.5", "15.6"], tags: ["opensuse", "linux"] },
  { title: "Windows Server", versions: ["2019", "2022", "2025"], tags: ["windows"], windows: true },
  { title: "WordPress", versions: ["6.5", "6.6", "6.7"], tags: ["web", "cms", "php"], appliance: "Ubuntu 22.04" },
  { title: "GitLab CE", versions: ["16.11", "17.5"], tags: ["devops", "ci", "git"], appliance: "Ubuntu 22.04" },
  { title: "Nextcloud", versions: ["29", "30"], tags: ["storage", "web"], appliance: "Debian 12" },
  { title: "PostgreSQL", versions: ["15", "16", "17"], tags: ["database", "postgres"], appliance: "Debian 12" },
  { title: "MariaDB", versions: ["10.11", "11.4"], tags: ["database", "mysql"], appliance: "Rocky Linux 9" },
  { title: "Redis", versions: ["7.2", "7.4"], tags: ["database", "cache"], appliance: "Alpine Linux 3.20" },
  {
    title: "Kubernetes node",
    versions: ["1.29", "1.30", "1.31"],
    tags: ["k8s", "containers"],
    appliance: "Ubuntu 24.04",
  },
  { title: "Docker host", versions: ["26", "27"], tags: ["docker", "containers"], appliance: "Ubuntu 24.04" },
  { title: "Jenkins", versions: ["2.462", "2.479"], tags: ["ci", "devops"], appliance: "Debian 12" },
  { title: "Grafana + Prometheus", versions: ["11.2", "11.3"], tags: ["monitoring"], appliance: "Debian 12" },
  { title: "MinIO", versions: ["2024.10", "2024.11"], tags: ["storage", "s3"], appliance: "Alpine Linux 3.20" },
  { title: "Vault", versions: ["1.17", "1.18"], tags: ["security"], appliance: "Ubuntu 22.04" },
  { title: "JupyterHub", versions: ["4.1", "5.2"], tags: ["ml", "python", "notebook"], appliance: "Ubuntu 22.04" },
  { title: "CUDA workstation", versions: ["12.4", "12.6"], tags: ["ml", "gpu", "cuda"], appliance: "Ubuntu 22.04" },
];
const VARIANTS = ["server", "minimal", "cloud", "hardened", "desktop", "base"];
const EXTRA_TAGS = [
  "cloud-init",
  "contextualized",
  "hardened",
  "minimal",
  "lts",
  "stable",
  "testing",
  "gpu",
  "x11",
  "ssh",
  "selinux",
  "uefi",
  "bios",
  "virtio",
  "nvme",
  "ipv6",
  "fips",
  "cis",
];

/** A small seeded PRNG (mulberry32), so that the same seed gives the same catalog. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1));
  const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)];
  /** picks by weight: [[value, weight], …] */
  const weighted = <T>(items: [T, number][]) => {
    let r = next() * items.reduce((s, [, w]) => s + w, 0);
    for (const [v, w] of items) if ((r -= w) < 0) return v;
    return items[items.length - 1][0];
  };
  const hex = (n: number) => Array.from({ length: n }, () => "0123456789abcdef"[int(0, 15)]).join("");
  return { next, int, pick, weighted, hex };
}

const GiB = 1024 ** 3;
const MiB = 1024 ** 2;

export interface SeedAppsResult {
  created: number;
  /** apps of the seeded marketplaces after the run */
  total: number;
  marketplaces: { id: number; name: string }[];
  /** users created by this run, with their passwords (shown once) */
  newUsers: { username: string; password: string }[];
}

export async function seedApps(opts: {
  count: number;
  seed?: number;
  batchSize?: number;
  log?: (line: string) => void;
}): Promise<SeedAppsResult> {
  const { count, batchSize = 500, log = () => {} } = opts;
  const client = db();
  const config = getConfig();
  const zone = await localZone();

  for (const g of GROUPS)
    await seedGroup(client, g.name, {
      description: g.description,
      createRights: [...DEFAULT_GROUP_CREATE_RIGHTS, "MARKETPLACE_APP"],
    });
  const newUsers: SeedAppsResult["newUsers"] = [];
  for (const [username, displayName, groups] of USERS) {
    if (await client.user.findUnique({ where: { username } })) continue;
    const password = generatePassword();
    await seedUser(client, { username, password, groups, displayName });
    newUsers.push({ username, password });
  }
  const admins = await client.group.findUniqueOrThrow({ where: { name: ADMINS_GROUP } });
  const admin = await client.user.findFirstOrThrow({
    where: { memberships: { some: { groupId: admins.id } } },
    orderBy: { id: "asc" },
  });
  const owners = [
    { id: admin.id, groupId: admins.id, publisher: admin.displayName || admin.username, weight: 2 },
    ...(
      await client.user.findMany({
        where: { username: { in: USERS.map(([u]) => u) } },
        orderBy: { id: "asc" },
      })
    ).map((u) => ({ id: u.id, groupId: u.primaryGroupId, publisher: u.displayName || u.username, weight: 1.3 })),
  ];

  const adminSubject = { userId: admin.id, groupIds: [admins.id], isAdmin: true };
  const marketplaces: { id: number; name: string; driver: ReturnType<typeof marketDriverFor> }[] = [];
  for (const m of MARKETS) {
    const publicDir = path.join(config.dataDir, "seed-markets", m.name);
    await mkdir(publicDir, { recursive: true });
    const row =
      (await client.marketplace.findUnique({ where: { name: m.name }, include: marketOriginInclude })) ??
      (await client.marketplace.create({
        include: marketOriginInclude,
        data: {
          name: m.name,
          description: m.description,
          zoneId: zone.id,
          driver: "http",
          config: JSON.stringify({ publicDir, baseUrl: "" }),
          ownerId: admin.id,
          groupId: admins.id,
          ...sharedRights(adminSubject, config.defaultUmask),
        },
      }));
    marketplaces.push({ id: row.id, name: row.name, driver: marketDriverFor(row) });
  }
  const marketIds = marketplaces.map((m) => m.id);

  // numbering goes on from the apps seeded before, so names stay unique per marketplace
  const start = await client.marketplaceApp.count({ where: { marketplaceId: { in: marketIds } } });
  const r = prng((opts.seed ?? 20261123) + start);
  const now = Date.now();
  const rows: Prisma.MarketplaceAppCreateManyInput[] = [];
  for (let i = 0; i < count; i++) {
    const n = start + i + 1;
    const product = r.weighted(
      PRODUCTS.map((p) => [p, p.title === "Ubuntu" ? 5 : p.appliance ? 1 : 2] as [Product, number]),
    );
    const version = r.pick(product.versions);
    const variant = product.appliance ? "" : r.pick(VARIANTS);
    const hypervisor = product.windows
      ? r.weighted<string>([
          ["kvm", 6],
          ["vcenter", 4],
        ])
      : r.weighted<string>([
          ["kvm", 60],
          ["qemu", 10],
          ["lxc", 15],
          ["vcenter", 15],
        ]);
    const architecture =
      product.windows || hypervisor === "vcenter"
        ? "x86_64"
        : r.weighted<string>([
            ["x86_64", 8],
            ["aarch64", 2],
          ]);
    const type = r.weighted<string>([
      ["IMAGE", 92],
      ["VMTEMPLATE", 8],
    ]);
    const format =
      type !== "IMAGE"
        ? ""
        : hypervisor === "lxc" || hypervisor === "vcenter"
          ? "raw"
          : r.weighted<string>([
              ["qcow2", 7],
              ["raw", 3],
            ]);
    const state = r.weighted<string>([
      ["READY", 93],
      ["DISABLED", 4],
      ["ERROR", 3],
    ]);
    const created = new Date(now - r.int(0, 3 * 365 * 24 * 3600) * 1000);
    const build = created.toISOString().slice(0, 10).replaceAll("-", "");
    const title = `${product.title} ${version}${variant ? ` ${variant}` : ""}`;
    const name = `${title} (${hypervisor}, ${architecture}) r${n}`;
    const tags = new Set([...product.tags, ...(variant && EXTRA_TAGS.includes(variant) ? [variant] : [])]);
    for (let t = r.int(0, 3); t > 0; t--) tags.add(r.pick(EXTRA_TAGS));
    if (architecture === "aarch64") tags.add("arm64");
    const description = product.appliance
      ? `${product.title} ${version} on ${product.appliance}, configured on first boot through contextualization. ` +
        `Build ${build} for ${hypervisor} on ${architecture}.`
      : `${title} ${product.windows ? "evaluation image with virtio drivers" : "cloud image with cloud-init"}` +
        `, for ${hypervisor} on ${architecture}. Build ${build}.`;
    const ready = state !== "ERROR" && type === "IMAGE";
    const sizeBytes = !ready
      ? 0
      : format === "qcow2"
        ? r.int(product.windows ? 6 * 1024 : 250, product.windows ? 14 * 1024 : 4 * 1024) * MiB
        : r.int(product.windows ? 30 : 2, product.windows ? 60 : 40) * GiB;
    const virtualSizeBytes = ready ? Math.max(sizeBytes, r.int(product.windows ? 40 : 8, 80) * GiB) : 0;
    const owner = r.weighted(owners.map((o) => [o, o.weight] as [(typeof owners)[number], number]));
    // mostly shared with everyone (the default for apps), else with the group, some private
    const [groupRights, otherRights] = r.weighted<[number, number]>([
      [[4, 4], 60],
      [[4, 0], 20],
      [[0, 0], 12],
      [[6, 4], 5],
      [[6, 0], 3],
    ]);
    const market = r.weighted(
      marketplaces.map((m, k) => [m, [5, 2, 2, 1][k % 4]] as [(typeof marketplaces)[number], number]),
    );
    const marketplaceId = market.id;
    const storageKey = `app-seed-${n}-${r.hex(12)}`;
    rows.push({
      name,
      marketplaceId,
      zoneId: zone.id,
      type,
      state,
      error: state === "ERROR" ? r.pick(["connection reset by the marketplace", "no space left on the device"]) : "",
      description,
      version: `${version.split(" ")[0]}-${build}`,
      publisher: owner.publisher,
      tags: packTags([...tags]),
      hypervisor,
      architecture,
      format,
      sizeBytes: BigInt(sizeBytes),
      virtualSizeBytes: BigInt(virtualSizeBytes),
      md5: ready ? r.hex(32) : "",
      sha256: ready ? r.hex(64) : "",
      storageKey,
      // where a real publish would have put it (the portal's /market/<id>/ unless a BASE_URL is set)
      source: ready ? market.driver.sourceOf(storageKey) : "",
      imageTemplate: JSON.stringify({ type: "OS", description: title }),
      vmTemplate:
        type === "VMTEMPLATE" || r.next() < 0.4
          ? `CPU="${r.pick([1, 2, 4])}"\nMEMORY="${r.pick([1024, 2048, 4096, 8192])}"\nGRAPHICS=[ TYPE="vnc" ]`
          : "",
      lockLevel: r.next() < 0.01 ? "MANAGE" : null,
      ownerId: owner.id,
      groupId: owner.groupId,
      ownerRights: 6,
      groupRights,
      otherRights,
      createdAt: created,
      updatedAt: new Date(created.getTime() + r.int(0, 30 * 24 * 3600) * 1000),
    });
  }
  for (let i = 0; i < rows.length; i += batchSize) {
    await insertApps(rows.slice(i, i + batchSize), config.databaseProvider === "postgresql");
    log(`  ${Math.min(i + batchSize, rows.length)} / ${rows.length}`);
  }
  const total = await client.marketplaceApp.count({ where: { marketplaceId: { in: marketIds } } });
  return { created: rows.length, total, marketplaces: marketplaces.map(({ id, name }) => ({ id, name })), newUsers };
}

/**
 * One multi-row INSERT per batch, as createMany would write it (dates as the SQLite adapter
 * stores them, ISO with "+00:00"): createMany spent most of a 100,000-app seed building its
 * query in JavaScript (0.85 ms of CPU per row here). The database's triggers still run, so the
 * catalog's classes, counts and search index are kept as for any other insert.
 */
async function insertApps(rows: Prisma.MarketplaceAppCreateManyInput[], postgres: boolean) {
  if (!rows.length) return;
  const columns = Object.keys(rows[0]) as (keyof Prisma.MarketplaceAppCreateManyInput)[];
  const value = (v: unknown) => (v instanceof Date && !postgres ? v.toISOString().replace("Z", "+00:00") : (v ?? null));
  await db().$executeRaw(
    Prisma.sql`INSERT INTO "MarketplaceApp" (${Prisma.raw(columns.map((c) => `"${c}"`).join(", "))}) VALUES ${Prisma.join(
      rows.map((r) => Prisma.sql`(${Prisma.join(columns.map((c) => value(r[c])))})`),
    )}`,
  );
}

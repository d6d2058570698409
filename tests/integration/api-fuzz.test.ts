import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildOpenApiDocument, errorStatuses } from "@/lib/api/openapi";
import { registeredOperations, type Operation } from "@/lib/api/operation";
import {
  ApiClient,
  anonymous,
  createGroup,
  createUser,
  signInAdmin,
  type ApiResponse,
  type UserFixture,
} from "../helpers/api";
import { closedPort } from "../support/markets";
import {
  NASTY_INT_TEXTS,
  NASTY_STRINGS,
  arbitraryFor,
  hostileBodies,
  queryArbitrary,
  type FuzzEnv,
  type JsonSchema,
} from "../support/fuzz";

/**
 * Requests for every operation of the OpenAPI document, generated from its schemas: valid
 * bodies, bodies broken in one place or many, hostile raw bodies, ids and filters outside the
 * columns' range or not written in decimal, NUL characters. As a plain user, as an admin and
 * without credentials. No answer may be a server error (5xx other than the 502 and 507 an
 * operation documents) or a status the document does not list for the operation, and every
 * error is problem+json.
 *
 * Runs per operation and role: BAZAAR_FUZZ_RUNS (default 16). The seed is fixed so a run can be
 * repeated; BAZAAR_FUZZ_SEED explores others (fast-check prints the seed and path of a failure).
 */
const RUNS = Number(process.env.BAZAAR_FUZZ_RUNS ?? 16);
const SEED = Number(process.env.BAZAAR_FUZZ_SEED ?? 20261206);

const doc = buildOpenApiDocument() as {
  paths: Record<string, Record<string, { parameters?: { name: string; in: string; schema: JsonSchema }[] }>>;
};
const work = mkdtempSync(path.join(os.tmpdir(), "bazaar-fuzz-"));
let env: FuzzEnv;
let admin: ApiClient;
let user: ApiClient;
let decoy: UserFixture;
/** ids of objects made for the fuzzer to aim at, by the collection in the path */
const pools: Record<string, number[]> = {};

const TUS_OPERATIONS = new Set(["createUpload", "uploadOffset", "appendUpload", "cancelUpload"]);

beforeAll(async () => {
  env = { safeDir: work, safeOrigin: `http://127.0.0.1:${await closedPort()}`, ids: [], examples: {} };
  const signedIn = await signInAdmin();
  const token = async (client: ApiClient, name: string) => {
    const res = await client.post("/api/v1/tokens", { name, expiresInDays: 1 });
    expect(res.status, res.text).toBe(201);
    return res.json as { id: number; token: string };
  };
  admin = new ApiClient({ bearer: (await token(signedIn, "fuzz admin")).token });
  const publishers = await createGroup(admin, "fuzz-publishers", {
    createRights: ["IMAGE", "MARKETPLACE_APP", "VM_TEMPLATE", "SERVICE_TEMPLATE", "DATASTORE", "MARKETPLACE"],
  });
  const fuzzer = await createUser(admin, "fuzzer", { primaryGroupId: publishers, groupIds: [publishers] });
  const fuzzerSession = new ApiClient();
  expect((await fuzzerSession.post("/api/v1/session", { username: "fuzzer", password: fuzzer.password })).status).toBe(
    200,
  );
  user = new ApiClient({ bearer: (await token(fuzzerSession, "fuzz user")).token });
  // Objects the fuzzer may change or delete; the identities it acts as are never among them.
  decoy = await createUser(admin, "decoy");
  const decoyToken = await token(fuzzerSession, "decoy token");
  const created = async (client: ApiClient, collection: string, body: unknown) => {
    const res = await client.post(`/api/v1/${collection}`, body);
    expect(res.status, `${collection}: ${res.text}`).toBe(201);
    return res.json.id as number;
  };
  const ds = await created(admin, "datastores", { name: "fuzz-ds" });
  await admin.post(`/api/v1/datastores/${ds}/chmod`, { permissions: "666" });
  const image = await created(user, "images", { source: "upload", size: 1024, datastoreId: ds, name: "fuzz-image" });
  const market = await created(admin, "marketplaces", {
    name: "fuzz-market",
    driver: "http",
    config: { publicDir: path.join(work, "market") },
  });
  const vmTemplate = await created(user, "vm-templates", { name: "fuzz-vm", template: 'CPU = "1"\nMEMORY = "128"' });
  const serviceTemplate = await created(user, "service-templates", {
    name: "fuzz-service",
    deployment: "straight",
    roles: [{ name: "web", cardinality: 1, vm_template: vmTemplate }],
  });
  const zone = await created(admin, "zones", { name: "fuzz-zone", endpoint: "http://127.0.0.1:1" });
  const vdc = await created(admin, "vdcs", { name: "fuzz-vdc" });
  Object.assign(pools, {
    users: [decoy.id],
    groups: [await createGroup(admin, "fuzz-decoys")],
    tokens: [decoyToken.id],
    datastores: [ds],
    images: [image],
    marketplaces: [market],
    "vm-templates": [vmTemplate],
    "service-templates": [serviceTemplate],
    zones: [zone],
    vdcs: [vdc],
    jobs: [],
    apps: [],
  });
  env.ids = [...new Set([...Object.values(pools).flat(), publishers])];
  env.examples = {
    template: ['CPU = "1"\nMEMORY = "128"', `CPU = "1"\nMEMORY = "64"\nDISK = [ IMAGE_ID = "${image}" ]`],
    vmTemplate: ['CPU = "1"\nMEMORY = "128"'],
    // a public catalog's endpoint is always given: its default is on the internet
    config: [
      { publicDir: path.join(work, "m1"), endpoint: env.safeOrigin },
      { publicDir: path.join(work, "m2"), baseUrl: env.safeOrigin, endpoint: `${env.safeOrigin}/` },
    ],
    roles: [[{ name: "web", cardinality: 1, vm_template: vmTemplate }]],
  };
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A path parameter: an id the fixtures made, one that does not exist, or something hostile. */
function paramArbitrary(op: Operation, name: string, schema: JsonSchema): fc.Arbitrary<string> {
  if (schema.type !== "integer") {
    return fc.oneof(arbitraryFor(schema, env).map(String), fc.constantFrom(...NASTY_STRINGS)).filter(Boolean);
  }
  const collection = op.path.split("/")[3];
  const ids = name === "id" ? (pools[collection] ?? []) : [decoy.id];
  return fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...ids, 999_999).map(String) },
    // an empty segment is another path (Next.js redirects /a/ to /a)
    { weight: 2, arbitrary: fc.constantFrom(...NASTY_INT_TEXTS.filter(Boolean)) },
  );
}

interface Generated {
  path: string;
  body?: { raw: string; contentType: string };
  headers: Record<string, string>;
}

function requestArbitrary(op: Operation): fc.Arbitrary<Generated> {
  const spec = doc.paths[op.path][op.method.toLowerCase()];
  const params = (spec.parameters ?? []).filter((p) => p.in === "path");
  const pathArb = fc
    .tuple(...params.map((p) => paramArbitrary(op, p.name, p.schema).map((v) => [p.name, v] as const)))
    .map((pairs) => pairs.reduce((acc, [name, v]) => acc.replace(`{${name}}`, encodeURIComponent(v)), op.path));
  const queryArb = queryArbitrary(spec.parameters ?? [], env);
  const bodyArb: fc.Arbitrary<Generated["body"]> =
    op.method === "HEAD"
      ? fc.constant(undefined)
      : TUS_OPERATIONS.has(op.id)
        ? fc.constantFrom(undefined, { raw: "x".repeat(64), contentType: "application/offset+octet-stream" })
        : op.body
          ? fc
              .oneof(
                { weight: 3, arbitrary: arbitraryFor(bodyJsonSchema(op), env, 0) },
                { weight: 3, arbitrary: arbitraryFor(bodyJsonSchema(op), env, 2) },
                { weight: 1, arbitrary: hostileBodies },
              )
              .map((b) =>
                b && typeof b === "object" && "raw" in b && "contentType" in b
                  ? (b as { raw: string; contentType: string })
                  : { raw: JSON.stringify(b) ?? "", contentType: "application/json" },
              )
          : fc.constant(undefined);
  const headersArb = TUS_OPERATIONS.has(op.id) ? tusHeaders() : fc.constant({});
  return fc
    .tuple(pathArb, queryArb, bodyArb, headersArb)
    .map(([p, q, body, headers]) => ({ path: p + q, body, headers }));
}

function bodyJsonSchema(op: Operation): JsonSchema {
  const spec = doc.paths[op.path][op.method.toLowerCase()] as { requestBody?: JsonSchema };
  return spec.requestBody?.content["application/json"].schema ?? {};
}

/** tus headers, right and wrong: versions, lengths, offsets, metadata naming real and hostile images. */
function tusHeaders(): fc.Arbitrary<Record<string, string>> {
  const b64 = (s: string) => Buffer.from(s).toString("base64");
  return fc.record(
    {
      "tus-resumable": fc.constantFrom("1.0.0", "0.2.2", ""),
      "upload-length": fc.constantFrom("1024", "0", "-1", "5000", "9007199254740993", "1e3", "x"),
      "upload-offset": fc.constantFrom("0", "64", "-1", "99999999999", "x"),
      "upload-metadata": fc.constantFrom(
        `imageId ${b64(String(pools.images[0]))}`,
        `imageId ${b64("2147483648")}`,
        `imageId ${b64("1e3")}`,
        `imageId ${b64("\u0000")}`,
        "imageId !!!",
        "",
      ),
      "upload-defer-length": fc.constant("1"),
      "content-type": fc.constantFrom("application/offset+octet-stream", "application/json"),
    },
    { requiredKeys: ["tus-resumable"] },
  );
}

function documentedStatuses(op: Operation): Set<number> {
  return new Set([op.status ?? 200, ...(op.statuses ?? []), ...errorStatuses(op)]);
}

async function send(client: ApiClient, op: Operation, g: Generated): Promise<ApiResponse> {
  return client.request(op.method, g.path, undefined, {
    headers: g.headers,
    ...(g.body ? { raw: g.body.raw, contentType: g.body.contentType } : {}),
  });
}

function check(op: Operation, g: Generated, res: ApiResponse, who: string) {
  const what = `${who}: ${op.method} ${g.path}\nheaders ${JSON.stringify(g.headers)}\nbody ${g.body?.raw.slice(0, 500)}\n→ ${res.status} ${res.text.slice(0, 800)}`;
  // 502 (a backend failed) and 507 (no room) are answers, where an operation documents them
  const documented = documentedStatuses(op).has(res.status);
  expect(res.status < 500 || (documented && [502, 507].includes(res.status)), `server error for ${what}`).toBe(true);
  expect(documentedStatuses(op).has(res.status), `status not in the OpenAPI document for ${what}`).toBe(true);
  if (res.status >= 400 && !TUS_OPERATIONS.has(op.id)) {
    expect(res.headers.get("content-type"), `not problem+json: ${what}`).toBe("application/problem+json");
  }
}

describe("fuzzing every operation of the OpenAPI document", () => {
  it("covers every registered operation", () => {
    const documented = Object.entries(doc.paths).flatMap(([p, methods]) =>
      Object.keys(methods).map((m) => `${m.toUpperCase()} ${p}`),
    );
    expect(documented.length).toBe(registeredOperations().length);
  });

  for (const op of registeredOperations()) {
    it(`${op.method} ${op.path}`, async () => {
      const actors: [string, () => ApiClient, number][] = [
        ["user", () => user, RUNS],
        ["admin", () => admin, RUNS],
        ["anonymous", () => anonymous(), Math.max(1, Math.ceil(RUNS / 4))],
      ];
      for (const [who, client, numRuns] of actors) {
        await fc.assert(
          fc.asyncProperty(requestArbitrary(op), async (g) => check(op, g, await send(client(), op, g), who)),
          { numRuns, seed: SEED, endOnFailure: true },
        );
      }
    }, 120_000);
  }
});

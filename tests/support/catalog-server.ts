import { execFileSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";

/**
 * A public catalog on loopback, for the integration tests and the Playwright specs: the
 * OpenNebula marketplace protocol (`/appliance`, `/appliance/<id>/download/<n>` redirecting
 * to `/files/<name>`) and a simplestreams server (`streams/v1/index.json`, `images.json`,
 * `images/...`). The disks are real and small, their checksums true (except the one
 * appliance whose md5 is wrong on purpose). Everything it answers comes from `state`, which
 * a test changes between monitors; `failure` makes the catalog documents fail.
 *
 * No test-runner imports here: a Playwright global setup can start it too.
 */

export interface CatalogFile {
  name: string;
  bytes: Buffer;
  format: "raw" | "qcow2";
  size: number;
  md5: string;
  sha256: string;
}

/** An appliance as the OpenNebula marketplace answers it (only what the tests vary is typed). */
export type Appliance = { _id?: { $oid: string }; name?: string; version?: string } & Record<string, unknown>;

/**
 * How the catalog documents (`/appliance`, `streams/v1/*`) answer; files and logos are
 * served whatever it is. "close" drops the connection, "hang" never answers.
 */
export type CatalogFailure = "none" | "500" | "garbage" | "close" | "hang" | "empty";

export interface CatalogRequest {
  method: string;
  path: string;
  userAgent: string;
  range: string;
}

export interface CatalogState {
  files: Record<string, CatalogFile>;
  /** what any OpenNebula version without a catalog of its own is answered (the newest one) */
  appliances: Appliance[];
  /** catalogs of particular OpenNebula versions ("6.10"), picked by the User-Agent */
  byVersion: Record<string, Appliance[]>;
  streamsIndex: Record<string, unknown>;
  streamsImages: { products: Record<string, Record<string, unknown>> } & Record<string, unknown>;
  failure: CatalogFailure;
  /** downloads redirect to this origin's `/files/<name>` instead of this server's (another host) */
  downloadOrigin: string | null;
  /** every request received, oldest first */
  requests: CatalogRequest[];
}

export interface CatalogServer {
  /** http://127.0.0.1:<port>, the endpoint to configure */
  url: string;
  state: CatalogState;
  /** stop listening, as a server that is down (connections are refused); `bringUp` listens again */
  takeDown(): Promise<void>;
  bringUp(): Promise<void>;
  close(): Promise<void>;
}

/** Upstream ids (Mongo ObjectIds, as marketplace.opennebula.io uses) of the default catalog. */
export const IDS = {
  alpine1: "65a1f0c2e4b0a1b2c3d4e501",
  alpine2: "65a1f0c2e4b0a1b2c3d4e502",
  webOs: "65a1f0c2e4b0a1b2c3d4e503",
  webData: "65a1f0c2e4b0a1b2c3d4e504",
  webVm: "65a1f0c2e4b0a1b2c3d4e505",
  dbDisk: "65a1f0c2e4b0a1b2c3d4e506",
  dbVm: "65a1f0c2e4b0a1b2c3d4e507",
  service: "65a1f0c2e4b0a1b2c3d4e508",
  broken: "65a1f0c2e4b0a1b2c3d4e509",
  noFile: "65a1f0c2e4b0a1b2c3d4e50a",
  noName: "65a1f0c2e4b0a1b2c3d4e50b",
  /** not in the default catalog: a newer version of "DB disk" that a test adds */
  dbDisk2: "65a1f0c2e4b0a1b2c3d4e5a0",
  /** not in the default catalog: "Broken checksum" republished as a new version */
  broken2: "65a1f0c2e4b0a1b2c3d4e5a2",
  /** not in the default catalog: an appliance with only the required fields */
  bare: "65a1f0c2e4b0a1b2c3d4e5a1",
  legacy: "65a1f0c2e4b0a1b2c3d4e5f0",
} as const;

/** A 1x1 transparent PNG, what `/logos/<name>` serves. */
const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=",
  "base64",
);

function fileOf(name: string, bytes: Buffer, format: CatalogFile["format"]): CatalogFile {
  return {
    name,
    bytes,
    format,
    size: bytes.length,
    md5: createHash("md5").update(bytes).digest("hex"),
    sha256: createHash("sha256").update(bytes).digest("hex"),
  };
}

/** A qcow2 of a 1 MiB disk whose first `dataBytes` are random (its bytes differ every run). */
function qcow2(dir: string, name: string, dataBytes: number): CatalogFile {
  const raw = path.join(dir, `${name}.raw`);
  const out = path.join(dir, name);
  execFileSync("qemu-img", ["create", "-q", "-f", "raw", raw, "1M"]);
  writeFileSync(raw, randomBytes(dataBytes), { flag: "r+" });
  execFileSync("qemu-img", ["convert", "-q", "-f", "raw", "-O", "qcow2", raw, out]);
  return fileOf(name, readFileSync(out), "qcow2");
}

/** The disks the default catalog offers: a few hundred KiB each. */
export function makeCatalogFiles(): Record<string, CatalogFile> {
  const dir = mkdtempSync(path.join(tmpdir(), "catalog-files-"));
  try {
    const raw = (name: string, kib: number) => fileOf(name, randomBytes(kib * 1024), "raw");
    const files = [
      raw("alpine-1.0.raw", 192),
      qcow2(dir, "alpine-2.0.qcow2", 128 * 1024),
      raw("web-os.raw", 128),
      raw("web-data.raw", 64),
      raw("db-disk.raw", 96),
      raw("broken.raw", 64),
      qcow2(dir, "noble-amd64.qcow2", 64 * 1024),
      qcow2(dir, "noble-arm64.qcow2", 64 * 1024),
      qcow2(dir, "bookworm-amd64.qcow2", 64 * 1024),
    ];
    return Object.fromEntries(files.map((f) => [f.name, f]));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** An IMAGE appliance serving `file` as its only download. */
function image(id: string, name: string, version: string, file: CatalogFile, extra: Record<string, unknown> = {}) {
  return {
    _id: { $oid: id },
    name,
    version,
    publisher: "Catalog Fixtures",
    short_description: `${name} for KVM`,
    description: `# ${name}\n\nA small test disk.`,
    tags: ["test"],
    format: file.format,
    "os-arch": "x86_64",
    hypervisor: "KVM",
    creation_time: 1735689600,
    opennebula_template: JSON.stringify({ CPU: "1", MEMORY: "256", CONTEXT: { NETWORK: "YES" } }),
    files: [{ name: file.name, type: "OS", size: file.size, md5: file.md5, sha256: file.sha256 }],
    ...extra,
  } satisfies Appliance;
}

/**
 * The catalog answered to OpenNebula 7.4 (and any version without its own): two versions of
 * one appliance, a VM template with two disks, a service of two VM templates, an image whose
 * md5 is wrong, and two appliances that cannot be offered (no file, no name).
 */
export function defaultAppliances(files: Record<string, CatalogFile>): Appliance[] {
  const f = files;
  const alpine1 = f["alpine-1.0.raw"];
  return [
    image(IDS.alpine1, "Alpine Linux 3.20", "1.0", alpine1, {
      logo: "/logos/alpine.png",
      // the catalog writes checksums in capitals and sizes as text at times
      files: [
        { name: alpine1.name, size: String(alpine1.size), md5: alpine1.md5.toUpperCase(), sha256: alpine1.sha256 },
      ],
    }),
    image(IDS.alpine2, "Alpine Linux 3.20", "2.0", f["alpine-2.0.qcow2"], {
      type: "IMAGE",
      logo: "https://logos.example.org/alpine.png",
    }),
    image(IDS.webOs, "Web OS disk", "3.1", f["web-os.raw"]),
    image(IDS.webData, "Web data disk", "3.1", f["web-data.raw"]),
    {
      _id: { $oid: IDS.webVm },
      name: "Web Server",
      version: "3.1",
      type: "VMTEMPLATE",
      publisher: "Catalog Fixtures",
      short_description: "A web server VM",
      description: "Nginx on two disks.",
      tags: ["web"],
      "os-arch": "x86_64",
      hypervisor: "KVM",
      logo: "/logos/web.png",
      opennebula_template: JSON.stringify({ CPU: "1", MEMORY: "512", CONTEXT: { NETWORK: "YES" } }),
      disks: ["Web OS disk", "Web data disk"],
    },
    image(IDS.dbDisk, "DB disk", "3.1", f["db-disk.raw"]),
    {
      _id: { $oid: IDS.dbVm },
      name: "Database",
      version: "3.1",
      type: "VMTEMPLATE",
      short_description: "A database VM",
      tags: ["database"],
      "os-arch": "x86_64",
      hypervisor: "KVM",
      opennebula_template: JSON.stringify({ CPU: "2", MEMORY: "1024" }),
      disks: ["DB disk"],
    },
    {
      _id: { $oid: IDS.service },
      name: "Web Service",
      version: "3.1",
      type: "SERVICE_TEMPLATE",
      short_description: "A web server in front of a database",
      tags: ["service"],
      "os-arch": "x86_64",
      hypervisor: "KVM",
      roles: { frontend: "Web Server", backend: "Database" },
      opennebula_template: JSON.stringify({
        name: "Web Service",
        deployment: "straight",
        description: "",
        roles: [
          { name: "backend", cardinality: 1 },
          { name: "frontend", cardinality: 2, parents: ["backend"] },
        ],
        ready_status_gate: true,
      }),
    },
    image(IDS.broken, "Broken checksum", "1.0", f["broken.raw"], {
      files: [{ name: "broken.raw", type: "OS", size: f["broken.raw"].size, md5: f["web-os.raw"].md5 }],
    }),
    { ...image(IDS.noFile, "No download", "1.0", f["web-os.raw"]), files: [] },
    { ...image(IDS.noName, "", "1.0", f["web-os.raw"]), name: undefined },
  ];
}

/** What the catalog answers OpenNebula 6.10: one appliance of its own. */
export const legacyAppliances = (files: Record<string, CatalogFile>): Appliance[] => [
  image(IDS.legacy, "Alpine Linux 3.18", "0.9", files["alpine-1.0.raw"]),
];

const diskItem = (file: CatalogFile, product: string, version: string) => ({
  ftype: "disk-kvm.img",
  path: `images/${product.replaceAll(":", "/")}/${version}/${file.name}`,
  size: file.size,
  sha256: file.sha256,
});

/**
 * A simplestreams product list: for amd64/default, Ubuntu (newest build with a disk) and
 * Debian; an arm64 build, a "cloud" variant, and an Alpine with no VM disk at all.
 */
export function defaultStreams(files: Record<string, CatalogFile>) {
  const f = files;
  const product = (id: string, os: string, release: string, title: string, versions: Record<string, unknown>) => {
    const [, , arch, variant] = id.split(":");
    return { aliases: `${os.toLowerCase()}/${release}`, arch, os, release, release_title: title, variant, versions };
  };
  const container = { ftype: "incus.tar.xz", path: "images/meta/incus.tar.xz", size: 724, sha256: "c".repeat(64) };
  const products: Record<string, Record<string, unknown>> = {
    "ubuntu:noble:amd64:default": product("ubuntu:noble:amd64:default", "Ubuntu", "noble", "24.04 LTS", {
      "20250101_07:42": {
        items: { "disk-kvm.img": diskItem(f["web-os.raw"], "ubuntu:noble:amd64:default", "20250101_07:42") },
      },
      "20250102_07:42": {
        items: {
          "incus.tar.xz": container,
          "disk-kvm.img": diskItem(f["noble-amd64.qcow2"], "ubuntu:noble:amd64:default", "20250102_07:42"),
        },
      },
    }),
    "ubuntu:noble:arm64:default": product("ubuntu:noble:arm64:default", "Ubuntu", "noble", "24.04 LTS", {
      "20250102_07:42": {
        items: { "disk-kvm.img": diskItem(f["noble-arm64.qcow2"], "ubuntu:noble:arm64:default", "20250102_07:42") },
      },
    }),
    "debian:bookworm:amd64:default": product("debian:bookworm:amd64:default", "Debian", "bookworm", "12", {
      "20250102_05:24": {
        items: {
          "disk-kvm.img": diskItem(f["bookworm-amd64.qcow2"], "debian:bookworm:amd64:default", "20250102_05:24"),
        },
      },
    }),
    "debian:bookworm:amd64:cloud": product("debian:bookworm:amd64:cloud", "Debian", "bookworm", "12", {
      "20250102_05:24": {
        items: { "disk-kvm.img": diskItem(f["bookworm-amd64.qcow2"], "debian:bookworm:amd64:cloud", "20250102_05:24") },
      },
    }),
    "alpine:3.21:amd64:default": product("alpine:3.21:amd64:default", "Alpine", "3.21", "3.21", {
      "20250102_13:00": { items: { "incus.tar.xz": container } },
    }),
  };
  const index = {
    format: "index:1.0",
    index: {
      images: {
        datatype: "image-downloads",
        format: "products:1.0",
        path: "streams/v1/images.json",
        products: Object.keys(products),
      },
    },
  };
  return { index, images: { content_id: "images", datatype: "image-downloads", format: "products:1.0", products } };
}

/** Puts the default catalogs back and clears the failure and the redirect (the requests are kept). */
export function resetCatalog(state: CatalogState): void {
  const streams = defaultStreams(state.files);
  Object.assign(state, {
    appliances: defaultAppliances(state.files),
    byVersion: { "6.10": legacyAppliances(state.files) },
    streamsIndex: streams.index,
    streamsImages: streams.images,
    failure: "none",
    downloadOrigin: null,
  } satisfies Partial<CatalogState>);
}

/** The appliance of the newest catalog with this id (throws when there is none). */
export function applianceOf(state: CatalogState, id: string): Appliance {
  const found = state.appliances.find((a) => a._id?.$oid === id);
  if (!found) throw new Error(`the catalog has no appliance ${id}`);
  return found;
}

export function patchAppliance(state: CatalogState, id: string, fields: Record<string, unknown>): void {
  Object.assign(applianceOf(state, id), fields);
}

export function removeAppliance(state: CatalogState, id: string): Appliance {
  const gone = applianceOf(state, id);
  state.appliances = state.appliances.filter((a) => a !== gone);
  return gone;
}

export function addAppliance(state: CatalogState, appliance: Appliance): void {
  state.appliances.push(appliance);
}

export function setFailure(state: CatalogState, failure: CatalogFailure): void {
  state.failure = failure;
}

/** The requests received for a path (without query), oldest first. */
export const requestsFor = (state: CatalogState, pathname: string) => state.requests.filter((r) => r.path === pathname);

/** The file a simplestreams item path names, from the current product list. */
function streamFile(state: CatalogState, rel: string): CatalogFile | undefined {
  for (const p of Object.values(state.streamsImages.products)) {
    for (const v of Object.values(
      (p.versions ?? {}) as Record<string, { items?: Record<string, { path?: string }> }>,
    )) {
      for (const item of Object.values(v.items ?? {})) {
        if (item.path === rel) return state.files[path.posix.basename(rel)];
      }
    }
  }
  return undefined;
}

/** GET/HEAD of bytes with Content-Length and single-range support, as a static file server. */
function sendBytes(req: http.IncomingMessage, res: http.ServerResponse, bytes: Buffer, type: string) {
  const headers = { "content-type": type, "accept-ranges": "bytes" };
  const range = /^bytes=(\d*)-(\d*)$/.exec(req.headers.range ?? "");
  let start = 0;
  let end = bytes.length - 1;
  if (range && (range[1] || range[2])) {
    if (range[1]) {
      start = Number(range[1]);
      if (range[2]) end = Math.min(Number(range[2]), end);
    } else start = Math.max(0, bytes.length - Number(range[2]));
    if (start > end) {
      res.writeHead(416, { "content-range": `bytes */${bytes.length}` });
      return res.end();
    }
    res.writeHead(206, {
      ...headers,
      "content-length": end - start + 1,
      "content-range": `bytes ${start}-${end}/${bytes.length}`,
    });
  } else res.writeHead(200, { ...headers, "content-length": bytes.length });
  res.end(req.method === "HEAD" ? undefined : bytes.subarray(start, end + 1));
}

/** Answers a catalog document, or fails as `state.failure` says. */
function sendDocument(res: http.ServerResponse, state: CatalogState, body: unknown, hung: Set<http.ServerResponse>) {
  switch (state.failure) {
    case "500":
      return res.writeHead(500, { "content-type": "text/plain" }).end("internal error");
    case "garbage":
      return res.writeHead(200, { "content-type": "text/html" }).end("<html><body>Down for maintenance</body></html>");
    case "close":
      return res.socket?.destroy();
    case "hang":
      return hung.add(res);
    case "empty":
      return res.writeHead(200, { "content-type": "application/json" }).end('{"sEcho":1,"appliances":[]}');
    default:
      return res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(body));
  }
}

/** Starts the server on 127.0.0.1 (a free port) with the default catalogs and fresh files (or `files`). */
export async function startCatalogServer(opts: { files?: Record<string, CatalogFile> } = {}): Promise<CatalogServer> {
  const state = { files: opts.files ?? makeCatalogFiles(), requests: [] as CatalogRequest[] } as CatalogState;
  resetCatalog(state);
  const hung = new Set<http.ServerResponse>();
  const sockets = new Set<Socket>();

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://catalog");
    const pathname = decodeURIComponent(url.pathname);
    const userAgent = req.headers["user-agent"] ?? "";
    state.requests.push({ method: req.method ?? "GET", path: pathname, userAgent, range: req.headers.range ?? "" });
    const notFound = () => res.writeHead(404, { "content-type": "application/json" }).end('{"error":"not found"}');

    if (pathname === "/appliance" || pathname === "/appliance/") {
      // the real server picks the catalog by the OpenNebula version the driver names
      const version = /^OpenNebula (\d+\.\d+)/.exec(userAgent)?.[1];
      if (!version) return res.writeHead(403, { "content-type": "text/plain" }).end("not an OpenNebula market driver");
      return sendDocument(res, state, { sEcho: 1, appliances: state.byVersion[version] ?? state.appliances }, hung);
    }
    const download = /^\/appliance\/([^/]+)\/download\/(\d+)$/.exec(pathname);
    if (download) {
      const all = [...state.appliances, ...Object.values(state.byVersion).flat()];
      const app = all.find((a) => a._id?.$oid === download[1]);
      const file = (app?.files as { name?: string }[] | undefined)?.[Number(download[2])];
      if (!file?.name || !state.files[file.name]) return notFound();
      res.writeHead(302, { location: `${state.downloadOrigin ?? ""}/files/${file.name}` });
      return res.end();
    }
    const file = /^\/files\/([^/]+)$/.exec(pathname);
    if (file) {
      const found = state.files[file[1]];
      return found ? sendBytes(req, res, found.bytes, "application/octet-stream") : notFound();
    }
    if (pathname.startsWith("/logos/")) return sendBytes(req, res, PNG, "image/png");
    if (pathname === "/streams/v1/index.json") return sendDocument(res, state, state.streamsIndex, hung);
    if (pathname === "/streams/v1/images.json") return sendDocument(res, state, state.streamsImages, hung);
    if (pathname.startsWith("/images/")) {
      const found = streamFile(state, pathname.slice(1));
      return found ? sendBytes(req, res, found.bytes, "application/octet-stream") : notFound();
    }
    return notFound();
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });

  const listen = (port: number) =>
    new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, "127.0.0.1", () => {
        server.off("error", reject);
        resolve();
      });
    });
  const stop = () =>
    new Promise<void>((resolve) => {
      for (const res of hung) res.destroy();
      hung.clear();
      for (const s of sockets) s.destroy();
      if (!server.listening) return resolve();
      server.close(() => resolve());
    });

  await listen(0);
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    state,
    takeDown: stop,
    bringUp: () => listen(port),
    close: stop,
  };
}

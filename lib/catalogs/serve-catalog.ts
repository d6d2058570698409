import { randomUUID } from "node:crypto";
import { Readable } from "node:stream";
import { serveBytes } from "@/lib/api/serve-bytes";
import { getConfig } from "@/lib/config";
import { recordAudit } from "@/lib/audit/record-audit";
import { marketDriverFor, specOf } from "@/lib/markets/market-spec";
import { presignedGetUrl } from "@/lib/markets/drivers/s3-presign";
import { AppError } from "@/lib/errors";
import { storedSizeCheck, wholeOf } from "@/lib/transfer/byte-source";
import { toAppliance } from "./appliance";
import { findCatalogImage, listCatalogApps, type ListedApp } from "./list-catalog-apps";
import { basicAuthToken, openCatalog, type ExportedMarket } from "./open-catalog";
import { IMAGES_PATH, isStreamable, streamsImages, streamsIndex, type StreamsMetadata } from "./simplestreams-export";
import { metadataTarball } from "./lxd-metadata";
import { combinedSha256, within } from "./combined-fingerprint";
import { sha256 as sha256Hex } from "@/lib/crypto/tokens";

/** What a catalog client is told on a 401: basic auth with the token as the password. */
export const CATALOG_REALM = 'Basic realm="bazaar catalog"';
const ID = /^[1-9]\d{0,9}$/;
const INT32_MAX = 2 ** 31 - 1;

const idOf = (text: string | undefined): number | null => {
  if (!text || !ID.test(text)) return null;
  const n = Number(text);
  return n <= INT32_MAX ? n : null;
};

function plain(method: string, status: number, message: string, headers: Record<string, string> = {}): Response {
  const body = `${JSON.stringify({ error: message })}\n`;
  return new Response(method === "HEAD" ? null : body, {
    status,
    headers: {
      "content-type": "application/json",
      "content-length": String(Buffer.byteLength(body)),
      "cache-control": "no-store",
      ...headers,
    },
  });
}

function json(method: string, value: unknown): Response {
  const body = JSON.stringify(value);
  return new Response(method === "HEAD" ? null : body, {
    status: 200,
    headers: {
      "content-type": "application/json",
      "content-length": String(Buffer.byteLength(body)),
      // the listing depends on who asks (token or not) and changes as apps do
      "cache-control": "private, no-store",
    },
  });
}

/** How long a listing waits for the combined fingerprints of disks not read yet. */
const FINGERPRINT_WAIT_MS = 5_000;

/** Each streamable app's metadata tarball, with the combined fingerprint when it is ready in time. */
async function streamsMetadata(market: ExportedMarket, apps: ListedApp[]): Promise<Map<number, StreamsMetadata>> {
  const driver = marketDriverFor(market);
  const entries = await Promise.all(
    apps.filter(isStreamable).map(async (app) => {
      const meta = metadataTarball(app);
      const sha256 = sha256Hex(meta);
      const combined = await within(
        combinedSha256(app, meta, sha256, (signal) => driver.openRead(app.storageKey, undefined, { signal })),
        FINGERPRINT_WAIT_MS,
      );
      return [app.id, { size: meta.length, sha256, combined }] as const;
    }),
  );
  return new Map(entries);
}

/** The bytes of an IMAGE app, with its sha256 as the ETag; refused when the stored object's size is wrong. */
/** What a cache between may keep: only what anyone may read (a token's answers are private). */
const cacheControlOf = (scope: "public" | "all") =>
  scope === "public" ? "public, max-age=0, must-revalidate" : "private, no-store";

async function serveApp(
  req: Request,
  market: ExportedMarket,
  app: ListedApp,
  filename: string,
  scope: "public" | "all",
): Promise<Response> {
  const driver = marketDriverFor(market);
  const spec = specOf(market);
  const size = Number(app.sizeBytes);
  // the same stored-size check as every download; a reader of the catalog is told no backend words
  const what = `The marketplace could not serve app ${app.id}`;
  try {
    return await serveBytes(
      req,
      {
        size,
        etag: app.sha256 ? `"${app.sha256}"` : undefined,
        filename,
        contentType: "application/octet-stream",
        verify: storedSizeCheck(() => driver.stat(app.storageKey), size, { isAdmin: false }, what),
        open: (range) => driver.openRead(app.storageKey, range ?? wholeOf(size)),
        // an s3 marketplace with downloadRedirect: the reader fetches the object from the service
        ...(spec.driver === "s3" &&
          spec.config.downloadRedirect && {
            redirect: async () => {
              const url = await presignedGetUrl(spec, app.storageKey, { filename });
              await recordAudit(
                {
                  actorName: scope === "all" ? "catalog reader (token)" : "catalog reader (public)",
                  zoneName: getConfig().zoneName,
                  requestId: randomUUID(),
                },
                {
                  action: "app.download",
                  objectType: "MARKETPLACE_APP",
                  objectId: app.id,
                  objectName: app.name,
                  details: { marketplaceId: market.id, redirect: true, via: "catalog" },
                },
              );
              return url;
            },
          }),
      },
      { cacheControl: cacheControlOf(scope) },
    );
  } catch (err) {
    return plain(req.method, 502, err instanceof AppError ? err.message : what);
  }
}

/** A VM disk's metadata tarball (made on the fly, always the same bytes). */
function serveMetadata(req: Request, app: ListedApp, scope: "public" | "all"): Promise<Response> {
  const meta = metadataTarball(app);
  return serveBytes(
    req,
    {
      size: meta.length,
      etag: `"${sha256Hex(meta)}"`,
      filename: "lxd.tar.xz",
      // not x-tar: a compressing proxy (or Next.js) would re-encode it under the same strong ETag
      contentType: "application/octet-stream",
      open: (range) => Promise.resolve(Readable.from([range ? meta.subarray(range.start, range.end + 1) : meta])),
    },
    { cacheControl: cacheControlOf(scope) },
  );
}

/**
 * One request of a marketplace's catalog (app/catalog/[id]/[...path]): the OpenNebula public
 * marketplace protocol (`appliance`, `appliance/<id>`, `appliance/<id>/download/<n>`) and a
 * simplestreams server (`streams/v1/index.json`, `streams/v1/images.json`,
 * `files/<id>/disk.qcow2` and its metadata `files/<id>/lxd.tar.xz`). A read token comes as the path prefix `t/<token>/` or as the
 * basic-auth password. Empty segments (an ENDPOINT ending in "/") are ignored.
 */
export async function serveCatalog({
  input,
}: {
  input: { req: Request; id: string; path: string[] };
}): Promise<Response> {
  const { req } = input;
  const method = req.method;
  const id = idOf(input.id);
  if (id === null) return plain(method, 404, "No such catalog");
  let path = input.path.filter((s) => s !== "");
  let token = basicAuthToken(req.headers.get("authorization"));
  if (path[0] === "t" && path.length >= 2) {
    token = path[1];
    path = path.slice(2);
  }
  const access = await openCatalog({ id, token });
  if (!access.ok)
    return plain(
      method,
      access.status,
      access.reason,
      access.status === 401 ? { "www-authenticate": CATALOG_REALM } : {},
    );
  const { market, scope } = access;
  const route = path.join("/");
  const listed = () => listCatalogApps({ marketplaceId: market.id, scope });

  if (route === "appliance") {
    const { apps, parts } = await listed();
    return json(method, { sEcho: 1, appliances: apps.map((a) => toAppliance(a, parts.get(a.id))) });
  }
  if (route === "streams/v1/index.json") return json(method, streamsIndex((await listed()).apps));
  if (route === IMAGES_PATH) {
    const { apps } = await listed();
    return json(method, streamsImages(apps, await streamsMetadata(market, apps)));
  }

  const one = /^appliance\/([^/]+)(?:\/download\/([^/]+))?$/.exec(route);
  const file = /^files\/([^/]+)\/(disk\.qcow2|lxd\.tar\.xz)$/.exec(route);
  const appId = idOf(one?.[1] ?? file?.[1]);
  if (appId === null) return plain(method, 404, "Not found");
  if (one && one[2] === undefined) {
    // an appliance's page names its parts: a composite is listed only with all of them
    const { apps, parts } = await listed();
    const app = apps.find((a) => a.id === appId);
    if (!app) return plain(method, 404, `No appliance ${appId}`);
    return json(method, toAppliance(app, parts.get(app.id)));
  }
  // bytes: only an image has them, looked up alone (a download never reads the whole catalog)
  const app = await findCatalogImage({ marketplaceId: market.id, scope, appId });
  if (!app) return plain(method, 404, `No appliance ${appId} with files`);
  if (file) {
    if (!isStreamable(app)) return plain(method, 404, `Appliance ${appId} is not a VM disk`);
    if (file[2] === "lxd.tar.xz") return serveMetadata(req, app, scope);
    return serveApp(req, market, app, "disk.qcow2", scope);
  }
  // an IMAGE has one file; a composite app's files are its parts, appliances of their own
  if (one?.[2] !== "0" || !app.storageKey) return plain(method, 404, `Appliance ${appId} has no file ${one?.[2]}`);
  return serveApp(req, market, app, `${app.name}.${app.format || "img"}`, scope);
}

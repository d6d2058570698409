import { openUrl } from "@/lib/transfer/url-source";
import type { CatalogParse } from "./catalog-entry";
import { endpointBase, endpointPrefix } from "./endpoint";
import { parseOneCatalog } from "./one-catalog";
import { parseSimplestreams, parseStreamsIndex, simplestreamsUrl, type SimplestreamsOptions } from "./simplestreams";

/** A catalog answer larger than this is not a catalog (the public ones are a few MB). */
export const MAX_CATALOG_BYTES = 64 * 1024 * 1024;

/**
 * GETs a JSON document through the URL policy (every redirect hop checked, no DNS rebinding),
 * within a size and a time limit; the reasons say which URL failed and why.
 */
export async function fetchJson(
  url: string,
  opts: { userAgent: string; signal?: AbortSignal; timeoutMs?: number; maxBytes?: number; trustedOrigin?: string },
): Promise<unknown> {
  const maxBytes = opts.maxBytes ?? MAX_CATALOG_BYTES;
  let res;
  try {
    res = await openUrl(url, {
      signal: opts.signal,
      timeoutMs: opts.timeoutMs ?? 30_000,
      userAgent: opts.userAgent,
      trustedOrigin: opts.trustedOrigin,
    });
  } catch (err) {
    throw new Error(`cannot reach ${url}: ${(err as Error).message}`);
  }
  if (res.length !== null && res.length > maxBytes) {
    res.body.destroy();
    throw new Error(`${url} answered ${res.length} bytes, more than a catalog may have (${maxBytes})`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of res.body as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) {
      res.body.destroy();
      throw new Error(`${url} answered more than a catalog may have (${maxBytes} bytes)`);
    }
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch {
    throw new Error(`${url} did not answer JSON`);
  }
}

/** What OpenNebula's own driver sends: the server picks the catalog by the version in it. */
export const oneUserAgent = (version: string) => `OpenNebula ${version} (Market Driver)`;

/**
 * The OpenNebula public marketplace protocol: `GET <endpoint>/appliance`. The server picks the
 * catalog of the OpenNebula version the User-Agent names (its newest otherwise), so the
 * version is the marketplace's choice.
 */
export async function readOneCatalog(
  endpoint: string,
  opts: { version: string; signal?: AbortSignal; timeoutMs?: number },
): Promise<CatalogParse> {
  const url = `${endpointPrefix(endpoint)}/appliance`;
  const body = await fetchJson(url, {
    ...opts,
    userAgent: oneUserAgent(opts.version),
    trustedOrigin: endpointBase(endpoint).origin,
  });
  return parseOneCatalog(body, { endpoint });
}

/** A simplestreams server: its index names the product list, which lists the VM disk images. */
export async function readSimplestreams(
  endpoint: string,
  opts: Omit<SimplestreamsOptions, "endpoint"> & { signal?: AbortSignal; timeoutMs?: number },
): Promise<CatalogParse> {
  const fetchOpts = {
    signal: opts.signal,
    timeoutMs: opts.timeoutMs,
    userAgent: "Bazaar marketplace monitor",
    trustedOrigin: endpointBase(endpoint).origin,
  };
  const index = await fetchJson(simplestreamsUrl(endpoint, "streams/v1/index.json"), fetchOpts);
  const { imagesPath } = parseStreamsIndex(index);
  const images = await fetchJson(simplestreamsUrl(endpoint, imagesPath), fetchOpts);
  return parseSimplestreams(images, { endpoint, architectures: opts.architectures, variant: opts.variant });
}

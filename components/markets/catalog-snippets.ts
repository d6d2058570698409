/**
 * What the Catalog tab gives out to paste elsewhere: the catalog's URLs, an OpenNebula
 * marketplace template for `onemarket create`, and the Incus commands (lib/catalogs serves them).
 */

/** Stands for a read token's secret that is not known here (it is shown once, when created). */
export const TOKEN_PLACEHOLDER = "<TOKEN>";

/**
 * The catalog's base URL as another host reaches it. The server builds it from the zone's
 * endpoint; a zone without one gives a path, which only this portal's own address can complete.
 */
export function absoluteCatalogUrl(baseUrl: string, origin?: string): string {
  if (/^https?:\/\//i.test(baseUrl) || !origin) return baseUrl;
  return `${origin.replace(/\/+$/, "")}${baseUrl.startsWith("/") ? "" : "/"}${baseUrl}`;
}

/**
 * Where a client reads the catalog: a token catalog through `<base>/t/<token>` (the other way,
 * basic auth with the token as the password, needs a client that sends it), the placeholder
 * standing for a token not at hand.
 */
export function catalogEndpoint(baseUrl: string, needsToken: boolean, token?: string): string {
  return needsToken ? `${baseUrl}/t/${token ?? TOKEN_PLACEHOLDER}` : baseUrl;
}

/** An OpenNebula template string: its quotes and backslashes escaped. */
const oneString = (s: string) => `"${s.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;

/**
 * OpenNebula's ENDPOINT for the catalog: with a trailing "/", since the `one` driver lists
 * `ENDPOINT + "/appliance"` but downloads `ENDPOINT + "appliance/<id>/download/0"` (the
 * catalog answers the "//appliance" the first one makes).
 */
export const oneEndpoint = (endpoint: string) => endpoint.replace(/\/*$/, "/");

/** The marketplace template for `onemarket create <file>`, with the catalog's ENDPOINT. */
export function oneMarketTemplate(name: string, endpoint: string): string {
  return [`NAME = ${oneString(name)}`, `MARKET_MAD = "one"`, `ENDPOINT = ${oneString(oneEndpoint(endpoint))}`].join(
    "\n",
  );
}

/**
 * An Incus remote's name for the marketplace: lower case letters, digits and dashes (a remote
 * name cannot hold ":" or "/", and a shell would split one with spaces).
 */
export function incusRemoteName(marketName: string): string {
  const slug = marketName
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  return slug || "bazaar";
}

/** `incus remote add`: the simplestreams client appends `/streams/v1/index.json` itself. */
export function incusRemoteAdd(remote: string, url: string): string {
  return `incus remote add ${remote} ${url} --protocol simplestreams --public`;
}

/** How to list the remote's images and start one as a virtual machine. */
export function incusLaunchHint(remote: string): string {
  return [`incus image list ${remote}:`, `incus launch ${remote}:<app alias> vm1 --vm`].join("\n");
}

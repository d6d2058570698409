// Catalog URLs (app/catalog) as OpenNebula's `one` driver asks for them: it glues
// "/appliance" to its ENDPOINT, so an ENDPOINT ending in "/" asks for ".../<id>//appliance".
// Next.js answers a path with "//" by a redirect, which that driver does not follow: the
// server collapses the slashes of catalog paths before Next.js sees the URL. Types:
// catalog-paths.d.mts.

/**
 * A request target (path and query) with every run of "/" in a `/catalog/` path made one and
 * a trailing "/" dropped (Next.js redirects that too), and the "/" put back before "appliance"
 * where an ENDPOINT without its trailing "/" left it out; anything else, the query included,
 * is returned as it is.
 */
export function collapseCatalogSlashes(url) {
  if (typeof url !== "string") return url;
  const q = url.indexOf("?");
  const path = q < 0 ? url : url.slice(0, q);
  if (!/^\/+catalog(\/|$)/.test(path)) return url;
  const collapsed = path
    .replace(/\/{2,}/g, "/")
    .replace(/(.)\/$/, "$1")
    // an ENDPOINT given without its trailing "/": the driver's downloads glue "appliance" to it
    .replace(/^(\/catalog\/\d+(?:\/t\/bzc_[A-Za-z0-9_-]{43})?)appliance(?=\/|$)/, "$1/appliance");
  return collapsed === path ? url : collapsed + (q < 0 ? "" : url.slice(q));
}

import { AppError } from "@/lib/errors";

/**
 * A public catalog's endpoint as the base its paths are resolved against: an http(s) URL
 * without query or fragment, its path ending with "/" (so `appliance` or
 * `streams/v1/index.json` go under it whether or not the attribute ends with a slash).
 */
export function endpointBase(endpoint: string): URL {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new AppError("INVALID", `the endpoint ${JSON.stringify(endpoint)} is not a URL`);
  }
  if ((url.protocol !== "https:" && url.protocol !== "http:") || url.search || url.hash) {
    throw new AppError("INVALID", `the endpoint ${JSON.stringify(endpoint)} is not an http(s) URL without query`);
  }
  url.pathname = `${url.pathname.replace(/\/+$/, "")}/`;
  return url;
}

/** The endpoint without its trailing "/": OpenNebula's driver glues paths to it with one. */
export const endpointPrefix = (endpoint: string) => endpointBase(endpoint).href.replace(/\/+$/, "");

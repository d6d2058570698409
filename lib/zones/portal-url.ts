/**
 * A portal's address as a zone endpoint: an absolute http(s) URL with a host and no
 * credentials, query or fragment (a path prefix is kept, for a portal behind a proxy).
 */
export function isPortalUrl(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  return (
    (url.protocol === "http:" || url.protocol === "https:") &&
    url.hostname !== "" &&
    !url.username &&
    !url.password &&
    !url.search &&
    !url.hash
  );
}

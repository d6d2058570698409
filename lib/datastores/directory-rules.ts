/** Directories of the machine that no datastore or marketplace may use. */
export const SYSTEM_DIRS = [
  "/",
  "/bin",
  "/boot",
  "/dev",
  "/etc",
  "/lib",
  "/proc",
  "/root",
  "/run",
  "/sbin",
  "/sys",
  "/usr",
];

/** Is `inner` the directory `outer` or below it? */
export const isWithin = (inner: string, outer: string) =>
  inner === outer || inner.startsWith(outer.endsWith("/") ? outer : outer + "/");

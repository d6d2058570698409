import { describe, expect, it } from "vitest";
import { describeSystemErrors } from "./system-errors";

describe("describeSystemErrors", () => {
  it("names a missing folder", () => {
    expect(describeSystemErrors("ENOENT: no such file or directory, statfs '/srv/x'")).toBe(
      "the folder /srv/x does not exist",
    );
  });

  it("keeps what was being done around the system's words", () => {
    expect(describeSystemErrors("cannot write the app: EACCES: permission denied, open '/srv/market/a.qcow2'")).toBe(
      "cannot write the app: the portal is not allowed to use /srv/market/a.qcow2 (permission denied)",
    );
  });

  it("tells a full disk and a read-only file system", () => {
    expect(describeSystemErrors("ENOSPC: no space left on device, write '/data/x.part'")).toBe(
      "there is no space left on the disk of /data/x.part",
    );
    expect(describeSystemErrors("EROFS: read-only file system, open '/ro/f'")).toBe(
      "/ro/f is on a read-only file system",
    );
  });

  it("tells network failures with their address", () => {
    expect(describeSystemErrors("fetch failed: connect ECONNREFUSED 127.0.0.1:9000")).toBe(
      "fetch failed: nothing answers at 127.0.0.1:9000 (connection refused)",
    );
    expect(describeSystemErrors("getaddrinfo ENOTFOUND s3.example.invalid")).toBe(
      "the host name s3.example.invalid could not be resolved",
    );
  });

  it("leaves messages it does not know alone", () => {
    for (const m of ["md5 mismatch: expected a, got b", "EWHATEVER: odd, frob '/x'", "", "HTTP 500 from the server"])
      expect(describeSystemErrors(m)).toBe(m);
  });

  it("tells a rename with both paths", () => {
    expect(describeSystemErrors("ENOENT: no such file or directory, rename '/a/x.part' -> '/b/x'")).toBe(
      "/a/x.part could not be moved to /b/x: one of them does not exist",
    );
  });
});

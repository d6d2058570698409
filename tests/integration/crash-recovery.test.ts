import { readdirSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { createDatastore } from "@/lib/datastores/create-datastore";
import { createImage } from "@/lib/images/create-image";
import { adminCtx, allowLoopbackUrls, randomPayload, serveBytes, spawnWorker, waitFor } from "../support/images";

/**
 * `kill -9` of the process running a URL import, then a restart: the job is retried from the
 * start by the next worker once the dead worker's lease runs out, and the image is never
 * READY with partial content.
 */
describe("a worker killed mid-transfer", () => {
  const payload = randomPayload(6 * 1024 * 1024);
  let server: Awaited<ReturnType<typeof serveBytes>>;

  beforeAll(async () => {
    allowLoopbackUrls();
    server = await serveBytes({ "/disk.raw": payload.data }, { bytesPerSecond: 2 * 1024 * 1024 });
  });
  afterAll(async () => server.close());

  it("leaves no READY partial image, and the restarted worker finishes the import", async () => {
    const ctx = await adminCtx();
    const ds = await createDatastore({
      ctx,
      input: {
        name: "crash",
        type: "IMAGE",
        driver: "fs",
        requiredFormat: "any",
        limitMb: null,
        description: "",
        enabled: true,
      },
    });
    const img = await createImage({
      ctx,
      input: {
        source: "url",
        url: server.url("/disk.raw"),
        name: "crash",
        datastoreId: ds.id,
        type: "DATABLOCK",
        description: "",
        expectedMd5: "",
        expectedSha256: payload.sha256,
      },
    });

    const first = spawnWorker();
    const job = await waitFor("bytes moving", async () => {
      const j = await db().job.findFirst({ where: { objectType: "IMAGE", objectId: img.id } });
      return j && j.state === "RUNNING" && Number(j.bytesDone) > 512 * 1024 ? j : null;
    });
    first.kill("SIGKILL");
    await new Promise((r) => first.once("exit", r));

    const during = await db().image.findUniqueOrThrow({ where: { id: img.id } });
    expect(during.state).toBe("LOCKED");
    expect(during.sha256).toBe("");
    expect(readdirSync(ds.basePath).filter((f) => !f.endsWith(".part"))).toEqual([]); // only the temporary file

    const second = spawnWorker();
    try {
      const done = await waitFor("the image to settle", async () => {
        const row = await db().image.findUniqueOrThrow({ where: { id: img.id } });
        return row.state === "READY" || row.state === "ERROR" ? row : null;
      });
      expect(done.error).toBe("");
      expect(done.state).toBe("READY");
      expect(done.sha256).toBe(payload.sha256);
      expect(done.md5).toBe(payload.md5);
      expect(Number(done.sizeBytes)).toBe(payload.data.length);
      const after = await waitFor("the job to end", async () => {
        const j = await db().job.findUniqueOrThrow({ where: { id: job.id } });
        return j.state !== "RUNNING" ? j : null;
      });
      expect(after.state).toBe("SUCCEEDED");
      expect(after.attempts).toBe(2);
      expect(readdirSync(ds.basePath)).toEqual([`img-${img.id}`]); // the dead attempt's .part is gone
    } finally {
      second.kill("SIGTERM");
    }
  }, 90_000);
});

import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { createDatastore } from "@/lib/datastores/create-datastore";
import { createImage } from "@/lib/images/create-image";
import {
  adminCtx,
  allowLoopbackUrls,
  randomPayload,
  serveBytes,
  spawnWorker,
  waitFor,
  convertToQcow2,
} from "../support/images";

/** A datastore of its own and an image imported into it from `url` (its job queued). */
async function importByUrl(
  url: string,
  opts: { name: string; requiredFormat: "any" | "raw"; type: "OS" | "DATABLOCK"; expectedSha256: string },
) {
  const ctx = await adminCtx();
  const ds = await createDatastore({
    ctx,
    input: {
      name: opts.name,
      type: "IMAGE",
      driver: "fs",
      requiredFormat: opts.requiredFormat,
      limitMb: null,
      description: "",
      enabled: true,
    },
  });
  const img = await createImage({
    ctx,
    input: {
      source: "url",
      url,
      name: opts.name,
      datastoreId: ds.id,
      type: opts.type,
      description: "",
      expectedMd5: "",
      expectedSha256: opts.expectedSha256,
    },
  });
  return { ds, img };
}

/** The image once it is READY or in ERROR. */
const settled = (id: number) =>
  waitFor("the image to settle", async () => {
    const row = await db().image.findUniqueOrThrow({ where: { id } });
    return row.state === "READY" || row.state === "ERROR" ? row : null;
  });

/** The job once no worker runs it. */
const ended = (id: number) =>
  waitFor("the job to end", async () => {
    const j = await db().job.findUniqueOrThrow({ where: { id } });
    return j.state !== "RUNNING" ? j : null;
  });

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
    const { ds, img } = await importByUrl(server.url("/disk.raw"), {
      name: "crash",
      requiredFormat: "any",
      type: "DATABLOCK",
      expectedSha256: payload.sha256,
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
      const done = await settled(img.id);
      expect(done.error).toBe("");
      expect(done.state).toBe("READY");
      expect(done.sha256).toBe(payload.sha256);
      expect(done.md5).toBe(payload.md5);
      expect(Number(done.sizeBytes)).toBe(payload.data.length);
      const after = await ended(job.id);
      expect(after.state).toBe("SUCCEEDED");
      expect(after.attempts).toBe(2);
      expect(readdirSync(ds.basePath)).toEqual([`img-${img.id}`]); // the dead attempt's .part is gone
    } finally {
      second.kill("SIGTERM");
    }
  }, 90_000);
});

/**
 * `kill -9` between two steps of a plan: the worker dies once the transfer is DONE, while the
 * image is being converted. The retry must not fetch the source again: it goes on from the
 * step after the last DONE one, with the received bytes the first attempt left, and leaves
 * nothing of the dead conversion behind.
 */
describe("a worker killed between two steps", () => {
  const raw = randomPayload(160 * 1024 * 1024);
  const work = mkdtempSync(path.join(tmpdir(), "bazaar-steps-"));
  let qcow2: Buffer;
  let server: Awaited<ReturnType<typeof serveBytes>>;

  beforeAll(async () => {
    allowLoopbackUrls();
    writeFileSync(path.join(work, "disk.raw"), raw.data);
    qcow2 = convertToQcow2(path.join(work, "disk.raw"), path.join(work, "disk.qcow2"));
    server = await serveBytes({ "/disk.qcow2": qcow2 });
  });
  afterAll(async () => {
    await server.close();
    rmSync(work, { recursive: true, force: true });
  });

  it("the retry skips the done transfer and finishes from the next step", async () => {
    const { ds, img } = await importByUrl(server.url("/disk.qcow2"), {
      name: "steps",
      requiredFormat: "raw",
      type: "OS",
      expectedSha256: "",
    });
    const job = await waitFor("the job", () =>
      db().job.findFirst({ where: { objectType: "IMAGE", objectId: img.id } }),
    );
    const steps = async () =>
      new Map(
        (await db().jobStep.findMany({ where: { jobId: job.id }, orderBy: { seq: "asc" } })).map((s) => [s.key, s]),
      );

    const first = spawnWorker();
    const between = await waitFor(
      "the transfer done, the conversion writing",
      async () => {
        const converting = readdirSync(ds.basePath).some((f) => f.startsWith(`img-${img.id}.converted.`));
        const s = await steps();
        return converting && s.get("receive")?.state === "DONE" && s.get("convert")?.state === "RUNNING" ? s : null;
      },
      60_000,
      5,
    );
    first.kill("SIGKILL");
    await new Promise((r) => first.once("exit", r));
    expect(server.hits("/disk.qcow2")).toBe(1);
    const died = await steps();
    expect(died.get("receive")?.attempt).toBe(1);
    expect([...between.keys()]).toEqual(["receive", "verify", "probe", "convert", "store", "ready"]);
    expect((await db().image.findUniqueOrThrow({ where: { id: img.id } })).state).toBe("LOCKED");
    // the received bytes wait for the next attempt under the image's name, never under its key
    expect(readdirSync(ds.basePath)).toContain(`img-${img.id}.received`);
    expect(readdirSync(ds.basePath)).not.toContain(`img-${img.id}`);
    // the conversion the kill cut short left its unfinished file
    expect(readdirSync(ds.basePath).some((f) => f.startsWith(`img-${img.id}.converted.`))).toBe(true);

    const second = spawnWorker();
    try {
      const done = await settled(img.id);
      expect(done.error).toBe("");
      expect(done.state).toBe("READY");
      expect(done.format).toBe("raw");
      expect(done.sha256).toBe(raw.sha256);
      expect(Number(done.sizeBytes)).toBe(raw.data.length);
      const after = await ended(job.id);
      expect(after.state).toBe("SUCCEEDED");
      expect(after.attempts).toBe(2);
      // the source was fetched once: the retry did not run the transfer again
      expect(server.hits("/disk.qcow2")).toBe(1);
      const final = await steps();
      expect(final.get("receive")?.attempt).toBe(1);
      expect(final.get("ready")?.attempt).toBe(2);
      expect([...final.values()].every((s) => s.state === "DONE")).toBe(true);
      expect(readdirSync(ds.basePath)).toEqual([`img-${img.id}`]);
    } finally {
      second.kill("SIGTERM");
    }
  }, 120_000);
});

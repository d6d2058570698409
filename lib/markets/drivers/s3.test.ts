import { randomBytes } from "node:crypto";
import { readdir, rm } from "node:fs/promises";
import net from "node:net";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { setTimeout as sleep } from "node:timers/promises";
import { PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { s3ConfigFor, S3RVER_ACCESS_KEY_ID, S3RVER_SECRET_ACCESS_KEY, startS3, type TestS3 } from "@/tests/support/s3";
import { runMarketDriverConformance } from "./conformance";
import { S3MarketDriver } from "./s3";
import { MarketConfigError } from "./types";

const MiB = 1024 * 1024;
let s3: TestS3;
let buckets = 0;
/** A bucket name of its own for each test, so tests share one server but no objects. */
const newBucket = () => `market-${++buckets}-${randomBytes(3).toString("hex")}`;

beforeAll(async () => {
  s3 = await startS3();
});
afterAll(async () => {
  await s3.stop();
  await rm(s3.directory, { recursive: true, force: true });
});

const driverFor = (bucket: string, change: (c: ReturnType<typeof s3ConfigFor>) => void = () => {}) => {
  const spec = s3ConfigFor(s3.endpoint, bucket);
  change(spec);
  return new S3MarketDriver(spec);
};

runMarketDriverConformance(
  "s3",
  async () => {
    const bucket = newBucket();
    return {
      driver: driverFor(bucket),
      cleanup: () => rm(path.join(s3.directory, bucket), { recursive: true, force: true }),
      leftovers: () => s3.uploadsOnDisk(bucket),
    };
  },
  // three parts of 5 MiB, the last one short
  { capabilities: S3MarketDriver.capabilities, largeBytes: 11 * MiB + 1234 },
);

const write = async (driver: S3MarketDriver, key: string, data: Buffer) => {
  const handle = await driver.beginWrite(key);
  await pipeline(Readable.from([data]), handle.stream);
  return handle.commit();
};

const configError = async (driver: S3MarketDriver) => {
  const started = Date.now();
  const err = await driver.check().then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(MarketConfigError);
  return { attribute: (err as MarketConfigError).attribute, message: (err as Error).message, ms: Date.now() - started };
};

describe("s3 market driver specifics", () => {
  it("creates a missing bucket on check", async () => {
    const bucket = newBucket();
    await driverFor(bucket).check();
    expect(await readdir(s3.directory)).toContain(bucket);
    await driverFor(bucket).check(); // and is content with an existing one
  });

  it("names the secret key when the signature does not match", async () => {
    const driver = driverFor(newBucket(), (c) => (c.secrets.secretAccessKey = "not-the-secret"));
    const { attribute, message } = await configError(driver);
    expect(attribute).toBe("secretAccessKey");
    expect(message).toMatch(/SignatureDoesNotMatch/);
  });

  it("names the access key the service does not know", async () => {
    const driver = driverFor(newBucket(), (c) => (c.config.accessKeyId = "NOBODY"));
    const { attribute, message } = await configError(driver);
    expect(attribute).toBe("accessKeyId");
    expect(message).toMatch(/InvalidAccessKeyId/);
  });

  it("names the endpoint, quickly, when nothing listens there", async () => {
    const closed = await new Promise<number>((resolve) => {
      const probe = net.createServer().listen(0, "127.0.0.1", () => {
        const { port } = probe.address() as net.AddressInfo;
        probe.close(() => resolve(port));
      });
    });
    const driver = driverFor(newBucket(), (c) => (c.config.endpoint = `http://127.0.0.1:${closed}`));
    const { attribute, message, ms } = await configError(driver);
    expect(attribute).toBe("endpoint");
    expect(message).toMatch(/cannot reach http:\/\/127\.0\.0\.1:\d+: connection refused/);
    expect(ms).toBeLessThan(5_000);
  });

  it("uploads in parts of partSizeMb", async () => {
    const bucket = newBucket();
    const parts = () =>
      s3.requests.filter((r) => r.method === "PUT" && r.url.startsWith(`/${bucket}/`) && r.url.includes("partNumber="))
        .length;
    const five = driverFor(bucket);
    await five.check();
    await write(five, "app-5mb", randomBytes(11 * MiB));
    expect(parts()).toBe(3);
    const six = driverFor(bucket, (c) => (c.config.partSizeMb = 6));
    await write(six, "app-6mb", randomBytes(11 * MiB));
    expect(parts()).toBe(3 + 2);
    expect((await six.stat("app-6mb"))?.size).toBe(11 * MiB);
  });

  it("writes objects under its key prefix and ignores the rest of the bucket", async () => {
    const bucket = newBucket();
    const driver = driverFor(bucket);
    await driver.check();
    await write(driver, "app-1", Buffer.from("mine"));
    const other = driverFor(bucket, (c) => (c.config.keyPrefix = "other"));
    await write(other, "app-2", Buffer.from("not mine"));
    expect(await readdir(path.join(s3.directory, bucket))).toEqual(
      expect.arrayContaining(["marketapp-app-1._S3rver_object", "other-app-2._S3rver_object"]),
    );
    expect(await driver.list()).toEqual([{ key: "app-1", size: 4 }]);
    expect((await driver.capacity()).usedBytes).toBe(4);
    expect(driver.sourceOf("app-1")).toBe(`s3://${bucket}/marketapp-app-1`);
    const bare = driverFor(bucket, (c) => (c.config.keyPrefix = ""));
    expect(bare.sourceOf("app-1")).toBe(`s3://${bucket}/app-1`);
    expect((await bare.list()).map((o) => o.key).sort()).toEqual(["marketapp-app-1", "other-app-2"]);
  });

  it("lists and measures more than one page of objects", async () => {
    const bucket = newBucket();
    const driver = driverFor(bucket, (c) => (c.config.totalMb = 1));
    await driver.check();
    const client = new S3Client({
      region: "us-east-1",
      endpoint: s3.endpoint,
      forcePathStyle: true,
      credentials: { accessKeyId: S3RVER_ACCESS_KEY_ID, secretAccessKey: S3RVER_SECRET_ACCESS_KEY },
    });
    const keys = Array.from({ length: 1100 }, (_, i) => `app-${String(i).padStart(4, "0")}`);
    for (let i = 0; i < keys.length; i += 50) {
      await Promise.all(
        keys
          .slice(i, i + 50)
          .map((k) =>
            client.send(new PutObjectCommand({ Bucket: bucket, Key: `marketapp-${k}`, Body: Buffer.from(k) })),
          ),
      );
    }
    client.destroy();
    const listed = await driver.list();
    expect(listed.map((o) => o.key).sort()).toEqual(keys);
    expect(listed.every((o) => o.size === 8)).toBe(true);
    expect(await driver.capacity()).toEqual({ totalBytes: MiB, usedBytes: 8800, freeBytes: MiB - 8800 });
    // list() and capacity() each went on to a second page
    const nextPages = s3.requests.filter(
      (r) => r.url.startsWith(`/${bucket}/?`) && r.url.includes("list-type=2") && r.url.includes("continuation-token="),
    );
    expect(nextPages).toHaveLength(2);
  }, 30_000);

  it("reports no stale uploads from a service that cannot list them", async () => {
    const bare = await startS3({ listUploads: false });
    try {
      const bucket = newBucket();
      const driver = new S3MarketDriver(s3ConfigFor(bare.endpoint, bucket));
      await driver.check();
      expect(await driver.abortStaleUploads(() => false)).toBe(0);
    } finally {
      await bare.stop();
      await rm(bare.directory, { recursive: true, force: true });
    }
  });

  it("fails a write when the service stops mid-way; the dangling upload is swept after it is back", async () => {
    let server = await startS3();
    const { directory, port } = server;
    try {
      const bucket = newBucket();
      const driver = new S3MarketDriver(s3ConfigFor(server.endpoint, bucket));
      await driver.check();
      const handle = await driver.beginWrite("app-crash");
      const source = Readable.from(
        (async function* () {
          for (let i = 0; i < 30; i++) {
            if (i === 12) {
              // two parts have gone out: once the upload exists, the service goes away under it
              while ((await server.uploadsOnDisk(bucket)).length === 0) await sleep(10);
              await server.stop();
            }
            yield randomBytes(MiB);
          }
        })(),
      );
      await expect(pipeline(source, handle.stream)).rejects.toThrow();
      await expect(handle.commit()).rejects.toThrow();
      await handle.abort();
      const dangling = await server.uploadsOnDisk(bucket);
      expect(dangling).toHaveLength(1);

      server = await startS3({ directory, port });
      expect(await driver.abortStaleUploads((key) => key === "app-crash")).toBe(0);
      expect(await driver.abortStaleUploads(() => false)).toBe(1);
      expect(await server.uploadsOnDisk(bucket)).toEqual([]);
      expect(await driver.list()).toEqual([]);
    } finally {
      await server.stop().catch(() => {});
      await rm(directory, { recursive: true, force: true });
    }
  }, 30_000);
});

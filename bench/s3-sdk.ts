/**
 * The S3 baselines of `bench/markets.ts`, in a process of their own (as the portal's worker
 * is), with the S3 client set up as the s3 market driver sets up its own:
 *
 *   s3-sdk.ts upload <endpoint> <bucket> <key> <file> <part MiB> <queue size>
 *       a multipart upload of the file with @aws-sdk/lib-storage (then the object is deleted)
 *   s3-sdk.ts download <endpoint> <bucket> <key> <file>
 *       GetObject streamed into the file
 *
 * Prints one JSON line: the seconds and CPU seconds of the transfer alone, this process's
 * resident memory before it (idle) and its peak during it, in MiB.
 */
import { createReadStream, createWriteStream, readFileSync, writeFileSync } from "node:fs";
import { pipeline } from "node:stream/promises";
import type { Readable } from "node:stream";
import { DeleteObjectCommand, GetObjectCommand, ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import { S3RVER_ACCESS_KEY_ID, S3RVER_SECRET_ACCESS_KEY } from "@/tests/support/s3";

const [mode, endpoint, Bucket, Key, file, partMiB, queueSize] = process.argv.slice(2);

// the options of S3MarketDriver's client (lib/markets/drivers/s3.ts)
const client = new S3Client({
  region: "us-east-1",
  endpoint,
  forcePathStyle: true,
  credentials: { accessKeyId: S3RVER_ACCESS_KEY_ID, secretAccessKey: S3RVER_SECRET_ACCESS_KEY },
  requestHandler: { connectionTimeout: 5_000, socketTimeout: 60_000 },
  requestChecksumCalculation: "WHEN_REQUIRED",
  responseChecksumValidation: "WHEN_REQUIRED",
});

// one request first, so that the SDK's lazily loaded parts and the connection are ready
await client.send(new ListObjectsV2Command({ Bucket, MaxKeys: 1 }));
const idleRssMiB = process.memoryUsage().rss / 1024 / 1024;
// the peak from here on is the transfer's, not the start's (Linux: resets VmHWM)
writeFileSync("/proc/self/clear_refs", "5");
const t0 = process.hrtime.bigint();
const cpu0 = process.cpuUsage();
if (mode === "upload") {
  await new Upload({
    client,
    params: { Bucket, Key, Body: createReadStream(file) },
    partSize: Number(partMiB) * 1024 * 1024,
    queueSize: Number(queueSize),
    leavePartsOnError: false,
  }).done();
} else if (mode === "download") {
  const res = await client.send(new GetObjectCommand({ Bucket, Key }));
  await pipeline(res.Body as Readable, createWriteStream(file));
} else {
  throw new Error(`unknown mode ${mode}`);
}
const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
const cpu = process.cpuUsage(cpu0);
if (mode === "upload") await client.send(new DeleteObjectCommand({ Bucket, Key }));
const peakRssMiB = Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync("/proc/self/status", "utf8"))?.[1] ?? 0) / 1024;
console.log(JSON.stringify({ seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, idleRssMiB, peakRssMiB }));

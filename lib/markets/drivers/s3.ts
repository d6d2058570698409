import type { Readable } from "node:stream";
import { finished } from "node:stream/promises";
import {
  AbortMultipartUploadCommand,
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  paginateListObjectsV2,
  S3Client,
  type BucketLocationConstraint,
} from "@aws-sdk/client-s3";
import type { ByteRange, WriteHandle } from "@/lib/storage/byte-store";
import type { S3MarketConfig, S3MarketSecrets } from "./config";
import { MultipartWrite } from "./s3-multipart";
import {
  assertMarketKey,
  MARKET_KEY,
  MarketConfigError,
  type MarketCapabilities,
  type MarketCapacity,
  type MarketDriver,
  type MarketObjectInfo,
} from "./types";

const MiB = 1024 * 1024;
/** S3 allows at most this many parts in one multipart upload. */
const MAX_PARTS = 10_000;
/** Parts in flight at once in a write. */
const QUEUE_SIZE = 4;

interface ServiceError extends Error {
  code?: string;
  $metadata?: { httpStatusCode?: number };
}

const statusOf = (err: unknown) => (err as ServiceError).$metadata?.httpStatusCode;
const isNotFound = (err: unknown) => statusOf(err) === 404 || ["NotFound", "NoSuchKey"].includes((err as Error).name);

/**
 * OpenNebula's S3 market: apps are objects `<keyPrefix>-<key>` in one bucket of AWS S3 or an
 * S3-compatible service (MinIO, Ceph, …). Writes are multipart uploads of partSizeMb parts,
 * four in flight at most (s3-multipart.ts); an upload that fails or is aborted is aborted on
 * the service too, so no invisible parts are left to pay for.
 */
export class S3MarketDriver implements MarketDriver {
  static readonly capabilities: MarketCapabilities = {
    create: true,
    delete: true,
    monitor: true,
    read: true,
    range: true,
  };
  readonly name = "s3";
  private readonly config: S3MarketConfig;
  private readonly client: S3Client;

  constructor({ config, secrets }: { config: S3MarketConfig; secrets: S3MarketSecrets }) {
    this.config = config;
    this.client = new S3Client({
      region: config.region,
      endpoint: config.endpoint || undefined,
      forcePathStyle: config.forcePathStyle,
      credentials: { accessKeyId: config.accessKeyId, secretAccessKey: secrets.secretAccessKey },
      // a dead service fails the request instead of hanging it; socketTimeout is an idle
      // timeout, so a large part on a slow link is not cut short
      requestHandler: { connectionTimeout: 5_000, socketTimeout: 60_000 },
      // The SDK's default (checksums on every upload, streamed bodies as aws-chunked with a
      // trailing CRC32) is not understood by many S3-compatible services, which then store the
      // chunk framing as object bytes. Checksums only where an operation requires them.
      requestChecksumCalculation: "WHEN_REQUIRED",
      responseChecksumValidation: "WHEN_REQUIRED",
    });
  }

  private get bucket() {
    return this.config.bucket;
  }

  /** Object keys carry the prefix so one bucket can hold several markets (and other things). */
  private get prefix() {
    return this.config.keyPrefix ? `${this.config.keyPrefix}-` : "";
  }

  private objectKey(key: string): string {
    assertMarketKey(key);
    return this.prefix + key;
  }

  /** The market key of an object key, or null for objects that are not this market's apps. */
  private keyOf(objectKey: string | undefined): string | null {
    if (!objectKey?.startsWith(this.prefix)) return null;
    const key = objectKey.slice(this.prefix.length);
    return MARKET_KEY.test(key) && !key.includes("..") ? key : null;
  }

  /**
   * Lists one object (rather than HeadBucket, whose errors come without a body and so cannot
   * tell a wrong secret from a wrong access key); a missing bucket is created, as OpenNebula does.
   */
  async check(): Promise<void> {
    try {
      await this.client.send(
        new ListObjectsV2Command({ Bucket: this.bucket, Prefix: this.prefix || undefined, MaxKeys: 1 }),
      );
      return;
    } catch (err) {
      if ((err as Error).name !== "NoSuchBucket") throw this.configError(err);
    }
    try {
      const region = this.config.region;
      await this.client.send(
        new CreateBucketCommand({
          Bucket: this.bucket,
          // us-east-1 is the one region that refuses to be named as a location constraint
          CreateBucketConfiguration:
            region === "us-east-1" ? undefined : { LocationConstraint: region as BucketLocationConstraint },
        }),
      );
    } catch (err) {
      if ((err as Error).name !== "BucketAlreadyOwnedByYou") throw this.configError(err, "cannot create the bucket");
    }
  }

  /** The attribute a failed request points at, with the service's own words. */
  private configError(err: unknown, doing = "refused"): MarketConfigError {
    const e = err as ServiceError;
    const where = this.config.endpoint ? "endpoint" : "region";
    if (statusOf(err) === undefined) {
      const target = this.config.endpoint || `S3 in region ${this.config.region}`;
      return new MarketConfigError(where, `cannot reach ${target}: ${describeNetworkError(e)}`);
    }
    const said = `${e.name}: ${e.message}`;
    switch (e.name) {
      case "InvalidAccessKeyId":
        return new MarketConfigError("accessKeyId", `the service does not know this access key (${said})`);
      case "SignatureDoesNotMatch":
        return new MarketConfigError("secretAccessKey", `the secret key does not match the access key (${said})`);
      case "AuthorizationHeaderMalformed":
      case "PermanentRedirect":
      case "IllegalLocationConstraintException":
        return new MarketConfigError("region", `the bucket is in another region (${said})`);
      case "AccessDenied":
      case "AllAccessDisabled":
      case "InvalidBucketName":
      case "BucketAlreadyExists":
      case "NoSuchBucket":
        return new MarketConfigError("bucket", `bucket ${this.bucket}: ${doing} (${said})`);
      default:
        return new MarketConfigError(
          this.config.endpoint ? "endpoint" : "bucket",
          `bucket ${this.bucket}: ${doing} (${said}, HTTP ${statusOf(err)})`,
        );
    }
  }

  /** S3 has no quota: the capacity is the configured totalMb, the use what the prefix holds. */
  async capacity(): Promise<MarketCapacity> {
    let usedBytes = 0;
    for await (const page of this.pages()) for (const o of page.Contents ?? []) usedBytes += o.Size ?? 0;
    const totalBytes = this.config.totalMb * MiB;
    return { totalBytes, usedBytes, freeBytes: Math.max(0, totalBytes - usedBytes) };
  }

  private pages() {
    return paginateListObjectsV2(
      { client: this.client, pageSize: 1000 },
      { Bucket: this.bucket, Prefix: this.prefix || undefined },
    );
  }

  async beginWrite(key: string, opts: { size?: number | null; signal?: AbortSignal } = {}): Promise<WriteHandle> {
    const Key = this.objectKey(key);
    const { signal } = opts;
    signal?.throwIfAborted();
    // a known size that would need more than S3's 10,000 parts grows the parts
    const partSize = Math.max(this.config.partSizeMb * MiB, Math.ceil((opts.size ?? 0) / MAX_PARTS));
    const body = new MultipartWrite(this.client, { Bucket: this.bucket, Key }, partSize, QUEUE_SIZE);
    // a cancel may destroy the stream before anyone pipes into it: its error is read by commit()
    body.on("error", () => {});
    const onAbort = () => body.destroy(signal!.reason);
    signal?.addEventListener("abort", onAbort, { once: true });
    let state: "open" | "committed" | "aborted" = "open";
    const discard = async () => {
      state = "aborted";
      signal?.removeEventListener("abort", onAbort);
      await body.discard();
    };

    return {
      stream: body,
      commit: async () => {
        if (state !== "open") throw new Error(`The write of market key "${key}" was ${state} already`);
        try {
          if (body.errored) throw body.errored;
          if (!body.writableFinished) await finished(body);
          // finished() also resolves for a stream destroyed without an error: its bytes are not all in
          if (!body.writableFinished) throw body.errored ?? new Error(`The write of market key "${key}" was cut short`);
          if (state !== "open") throw new Error(`The write of market key "${key}" was aborted`);
          await body.complete();
        } catch (err) {
          if (state === "open") await discard();
          throw err;
        }
        state = "committed";
        signal?.removeEventListener("abort", onAbort);
        return { size: body.size };
      },
      abort: async () => {
        if (state === "open") await discard();
      },
    };
  }

  async openRead(key: string, range?: ByteRange, opts: { signal?: AbortSignal } = {}): Promise<Readable> {
    const res = await this.client.send(
      new GetObjectCommand({
        Bucket: this.bucket,
        Key: this.objectKey(key),
        Range: range ? `bytes=${range.start}-${range.end}` : undefined,
      }),
      { abortSignal: opts.signal },
    );
    // in Node the SDK's body is the response stream itself
    const body = res.Body as Readable;
    if (range && !coversExactly(res.ContentRange, range)) {
      body.destroy();
      throw new Error(
        `Cannot read market object "${key}": asked for ${range.start}-${range.end}, got ${res.ContentRange}`,
      );
    }
    return body;
  }

  async stat(key: string): Promise<MarketObjectInfo | null> {
    try {
      const res = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: this.objectKey(key) }));
      return { size: res.ContentLength ?? 0, etag: res.ETag ?? '""', lastModified: res.LastModified ?? new Date(0) };
    } catch (err) {
      if (isNotFound(err)) return null;
      throw err;
    }
  }

  async delete(key: string): Promise<void> {
    try {
      await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.objectKey(key) }));
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }

  async list(): Promise<{ key: string; size: number }[]> {
    const out: { key: string; size: number }[] = [];
    for await (const page of this.pages()) {
      for (const o of page.Contents ?? []) {
        const key = this.keyOf(o.Key);
        if (key !== null) out.push({ key, size: o.Size ?? 0 });
      }
    }
    return out;
  }

  /**
   * Aborts the multipart uploads of writes that never finished (a crash, a service that went
   * away mid-write) unless `keep(key)` says the write may still be going on. Returns how many
   * were aborted; 0 from a service that cannot list multipart uploads.
   */
  async abortStaleUploads(keep: (key: string) => boolean): Promise<number> {
    let aborted = 0;
    let KeyMarker: string | undefined;
    let UploadIdMarker: string | undefined;
    for (;;) {
      let page;
      try {
        page = await this.client.send(
          new ListMultipartUploadsCommand({
            Bucket: this.bucket,
            Prefix: this.prefix || undefined,
            KeyMarker,
            UploadIdMarker,
          }),
        );
      } catch (err) {
        if ((err as Error).name === "NotImplemented" || statusOf(err) === 501) return aborted;
        throw err;
      }
      for (const u of page.Uploads ?? []) {
        const key = this.keyOf(u.Key);
        if (key === null || keep(key)) continue;
        try {
          await this.client.send(
            new AbortMultipartUploadCommand({ Bucket: this.bucket, Key: u.Key, UploadId: u.UploadId }),
          );
          aborted++;
        } catch (err) {
          if ((err as Error).name !== "NoSuchUpload" && !isNotFound(err)) throw err;
        }
      }
      if (!page.IsTruncated) return aborted;
      KeyMarker = page.NextKeyMarker;
      UploadIdMarker = page.NextUploadIdMarker;
    }
  }

  sourceOf(key: string): string {
    return `s3://${this.bucket}/${this.objectKey(key)}`;
  }
}

/**
 * Does the answer's Content-Range hold exactly the bytes asked for? The end may be earlier
 * (S3 cuts a range at the object's end), anything else would hand out the wrong bytes.
 */
function coversExactly(contentRange: string | undefined, range: ByteRange): boolean {
  const m = /^bytes (\d+)-(\d+)\//.exec(contentRange ?? "");
  return !!m && Number(m[1]) === range.start && Number(m[2]) <= range.end;
}

function describeNetworkError(err: ServiceError): string {
  switch (err.code) {
    case "ECONNREFUSED":
      return "connection refused";
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return "host not found";
    case "ETIMEDOUT":
      return "timed out";
    case "ECONNRESET":
      return "connection reset";
    default:
      return err.name === "TimeoutError" ? "timed out" : err.message || err.name;
  }
}

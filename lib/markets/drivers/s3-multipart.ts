import { Writable } from "node:stream";
import { setTimeout as sleep } from "node:timers/promises";
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  PutObjectCommand,
  UploadPartCommand,
  type CompletedPart,
  type S3Client,
} from "@aws-sdk/client-s3";

/** How long a discard waits for parts still in flight before it cuts their requests. */
const ABORT_WAIT_MS = 15_000;

/**
 * The bytes of one S3 object as they are written: they fill part buffers that are sent as
 * UploadPart requests, `queueSize` at a time, while the next one fills. Nothing is visible
 * under the key until complete(): an object smaller than one part is sent then with one
 * PutObject; a larger one is a multipart upload (created when its first part is full) that
 * complete() completes.
 *
 * Why not lib-storage's `Upload`: it gathers each part from the stream's chunks with
 * Buffer.concat into a new buffer, so every byte is copied into freshly allocated memory,
 * whose page faults cost more than the copy (on a VM, several times more). Here the
 * `queueSize + 1` part buffers are allocated once and filled again: the one copy per byte
 * lands in memory that is already mapped, and the memory of a write is bounded by them.
 *
 * A failed part destroys the stream with the service's error, so whoever writes into it
 * (a pipeline) stops at once instead of waiting on backpressure.
 */
export class MultipartWrite extends Writable {
  /** bytes written into the stream */
  size = 0;
  private readonly free: Buffer[] = [];
  private part: Buffer | null = null;
  private filled = 0;
  private partNumber = 0;
  private uploadId: Promise<string> | null = null;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly parts: CompletedPart[] = [];
  private failure: Error | null = null;
  /** cuts the requests in flight when a discard has waited long enough */
  private readonly requests = new AbortController();
  private readonly bucket: string;
  private readonly key: string;

  constructor(
    private readonly client: S3Client,
    target: { Bucket: string; Key: string },
    private readonly partSize: number,
    private readonly queueSize: number,
  ) {
    super({ highWaterMark: 1024 * 1024 });
    this.bucket = target.Bucket;
    this.key = target.Key;
  }

  /** The multipart upload's id, once one was created (a write smaller than a part has none). */
  get multipartUploadId(): Promise<string> | null {
    return this.uploadId;
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    this.size += chunk.length;
    let offset = 0;
    const fill = (): void => {
      while (offset < chunk.length) {
        if (this.failure) return cb(this.failure);
        this.part ??= this.free.pop() ?? Buffer.allocUnsafeSlow(this.partSize);
        const n = chunk.copy(this.part, this.filled, offset);
        this.filled += n;
        offset += n;
        if (this.filled === this.partSize) {
          this.sendPart();
          // the next buffer fills only while fewer than queueSize parts are in flight
          if (this.inFlight.size >= this.queueSize) {
            void Promise.race(this.inFlight).then(fill);
            return;
          }
        }
      }
      cb(this.failure);
    };
    fill();
  }

  override _final(cb: (err?: Error | null) => void): void {
    // a write of less than one part is sent whole by complete(); otherwise the rest is the last part
    if (this.partNumber > 0 && this.filled > 0) this.sendPart();
    void this.settled().then(() => cb(this.failure));
  }

  /** Waits until no part is in flight (each one settles: sent, or failed into `failure`). */
  private async settled(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.race(this.inFlight);
  }

  private sendPart(): void {
    const buffer = this.part!;
    const length = this.filled;
    const PartNumber = ++this.partNumber;
    this.part = null;
    this.filled = 0;
    this.uploadId ??= this.client
      .send(new CreateMultipartUploadCommand({ Bucket: this.bucket, Key: this.key }), {
        abortSignal: this.requests.signal,
      })
      .then((r) => r.UploadId!);
    // a failure is handled below; the id is awaited again by complete() and discard()
    this.uploadId.catch(() => {});
    const sent: Promise<void> = this.uploadPart(buffer, length, PartNumber).finally(() => this.inFlight.delete(sent));
    this.inFlight.add(sent);
  }

  /** Sends one part; never rejects: a failure destroys the stream with the service's error. */
  private async uploadPart(buffer: Buffer, length: number, PartNumber: number): Promise<void> {
    try {
      const UploadId = await this.uploadId!;
      const res = await this.client.send(
        new UploadPartCommand({
          Bucket: this.bucket,
          Key: this.key,
          UploadId,
          PartNumber,
          Body: buffer.subarray(0, length),
          ContentLength: length,
        }),
        { abortSignal: this.requests.signal },
      );
      this.parts.push({ PartNumber, ETag: res.ETag });
      // the request is over (retries included): the buffer can take the next part
      this.free.push(buffer);
    } catch (err) {
      if (!this.failure) {
        this.failure = err as Error;
        this.destroy(err as Error);
      }
    }
  }

  /** Makes the object visible: after the stream finished without an error, once. */
  async complete(): Promise<void> {
    if (this.failure) throw this.failure;
    if (this.partNumber === 0) {
      await this.client.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: this.key,
          Body: this.part ? this.part.subarray(0, this.filled) : Buffer.alloc(0),
          ContentLength: this.filled,
        }),
      );
      this.part = null;
      return;
    }
    const parts = [...this.parts].sort((a, b) => a.PartNumber! - b.PartNumber!);
    await this.client.send(
      new CompleteMultipartUploadCommand({
        Bucket: this.bucket,
        Key: this.key,
        UploadId: await this.uploadId!,
        MultipartUpload: { Parts: parts },
      }),
    );
  }

  /**
   * Removes what was sent: waits for the parts in flight (a part that lands after the abort
   * would be kept by some services), cutting them after ABORT_WAIT_MS, then aborts the
   * multipart upload. Never throws: what a dead service kept is swept by abortStaleUploads().
   */
  async discard(): Promise<void> {
    if (!this.destroyed) this.destroy(new Error("The write was aborted"));
    const waited = await Promise.race([
      this.settled().then(() => "settled" as const),
      sleep(ABORT_WAIT_MS, "waited" as const, { ref: false }),
    ]);
    if (waited === "waited") this.requests.abort();
    this.part = null;
    this.free.length = 0;
    const UploadId = await this.uploadId?.catch(() => null);
    if (!UploadId) return;
    try {
      await this.client.send(new AbortMultipartUploadCommand({ Bucket: this.bucket, Key: this.key, UploadId }));
    } catch {
      // already gone, or the service is unreachable: abortStaleUploads() sweeps it later
    }
  }
}

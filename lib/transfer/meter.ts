import { createHash, type Hash } from "node:crypto";
import { Transform, type TransformCallback } from "node:stream";

/**
 * A pass-through that hashes (md5 + sha256) and counts every byte on its way, and can
 * refuse to pass more than a limit (a datastore's free space).
 */
export class Meter extends Transform {
  bytes = 0;
  private readonly md5: Hash = createHash("md5");
  private readonly sha256: Hash = createHash("sha256");

  constructor(
    private readonly opts: { hash?: boolean; limit?: number; limitMessage?: string; onBytes?: (total: number) => void } = {},
  ) {
    super({ highWaterMark: 1024 * 1024 });
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.opts.limit !== undefined && this.bytes > this.opts.limit) {
      cb(new LimitExceededError(this.opts.limitMessage ?? `more than ${this.opts.limit} bytes`));
      return;
    }
    if (this.opts.hash !== false) {
      this.md5.update(chunk);
      this.sha256.update(chunk);
    }
    this.opts.onBytes?.(this.bytes);
    cb(null, chunk);
  }

  digests(): { md5: string; sha256: string } {
    return { md5: this.md5.copy().digest("hex"), sha256: this.sha256.copy().digest("hex") };
  }
}

export class LimitExceededError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "LimitExceededError";
  }
}

import { GetObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import { contentDisposition } from "@/lib/api/serve-bytes";
import type { S3MarketConfig, S3MarketSecrets } from "./config";
import { assertMarketKey } from "./types";

/**
 * Presigned GET URLs for the s3 marketplaces that answer downloads with a redirect
 * (`downloadRedirect`): the portal checks the permission and the app's state, then the client
 * fetches the bytes from the S3 service itself, which must be reachable from the client.
 */

/** How long a presigned URL works: long enough to start a download, short enough not to be shared around. */
export const PRESIGNED_URL_SECONDS = 300;

/** The object key of an app, as the s3 driver (./s3.ts) stores it: `<keyPrefix>-<key>` (OpenNebula's APP_PREFIX). */
export function s3ObjectKey(config: Pick<S3MarketConfig, "keyPrefix">, key: string): string {
  assertMarketKey(key);
  return config.keyPrefix ? `${config.keyPrefix}-${key}` : key;
}

const clients = new Map<string, S3Client>();

/** A client per configuration (signing is local: this client never opens a connection). */
function clientFor(config: S3MarketConfig, secrets: S3MarketSecrets): S3Client {
  const id = JSON.stringify([config.region, config.endpoint, config.forcePathStyle, config.accessKeyId, secrets]);
  let client = clients.get(id);
  if (!client) {
    if (clients.size >= 64) clients.clear();
    client = new S3Client({
      region: config.region,
      endpoint: config.endpoint || undefined,
      forcePathStyle: config.forcePathStyle,
      credentials: { accessKeyId: config.accessKeyId, secretAccessKey: secrets.secretAccessKey },
      // as the driver: no checksum parameters a compatible service may not know
      requestChecksumCalculation: "WHEN_REQUIRED",
      responseChecksumValidation: "WHEN_REQUIRED",
    });
    clients.set(id, client);
  }
  return client;
}

/**
 * A URL that GETs an app's object for PRESIGNED_URL_SECONDS, Range included, answered with the
 * app's file name as the download's name (ResponseContentDisposition) and as opaque bytes.
 */
export async function presignedGetUrl(
  spec: { config: S3MarketConfig; secrets: S3MarketSecrets },
  key: string,
  opts: { filename: string; expiresInSeconds?: number },
): Promise<string> {
  const command = new GetObjectCommand({
    Bucket: spec.config.bucket,
    Key: s3ObjectKey(spec.config, key),
    ResponseContentDisposition: contentDisposition(opts.filename),
    ResponseContentType: "application/octet-stream",
  });
  return getSignedUrl(clientFor(spec.config, spec.secrets), command, {
    expiresIn: opts.expiresInSeconds ?? PRESIGNED_URL_SECONDS,
  });
}

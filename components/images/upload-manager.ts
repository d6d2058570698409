"use client";

import { useSyncExternalStore } from "react";
import type { DetailedError, Upload } from "tus-js-client";
import { formatBytes } from "@/components/transfer/format";
import { createRateMeter, type RateMeter } from "@/lib/transfer/rate";

/**
 * The browser's image uploads (tus, resumable), kept in a module-level store rather than in a
 * component: an upload goes on when its modal closes or the user moves to another console page,
 * and the images table shows its progress. A page reload ends the JavaScript but not the
 * upload on the server: "Resume upload" asks for the file again and goes on from the server's
 * offset (the fingerprint stored by tus-js-client, or the image's uploadId).
 */
export type UploadStatus = "starting" | "uploading" | "reconnecting" | "failed" | "done" | "cancelled";

export interface UploadState {
  imageId: number;
  imageName: string;
  fileName: string;
  status: UploadStatus;
  bytesDone: number;
  bytesTotal: number;
  /** smoothed, measured from tus progress events; 0 while reconnecting */
  rateBps: number;
  error: string | null;
}

interface Entry {
  state: UploadState;
  upload: Upload | null;
  meter: RateMeter;
  lastPublish: number;
  onSettled?: () => void;
}

const ENDPOINT = "/api/v1/uploads";
const CHUNK_SIZE = 8 * 1024 * 1024;
const RETRY_DELAYS = [0, 1000, 3000, 5000, 10000, 20000];
const PUBLISH_EVERY_MS = 250;

const entries = new Map<number, Entry>();
const listeners = new Set<() => void>();
const EMPTY: ReadonlyMap<number, UploadState> = new Map();
let snapshot: ReadonlyMap<number, UploadState> = EMPTY;

function publish() {
  snapshot = new Map([...entries].map(([id, e]) => [id, e.state]));
  listeners.forEach((l) => l());
}

function patch(imageId: number, changes: Partial<UploadState>) {
  const entry = entries.get(imageId);
  if (!entry) return;
  entry.state = { ...entry.state, ...changes };
  entry.lastPublish = Date.now();
  publish();
}

/** The upload is held by this page and may still move (or be retried). */
export const isLive = (s: UploadState | undefined): s is UploadState =>
  !!s && s.status !== "done" && s.status !== "cancelled";

/** What the server or the network said, without tus-js-client's request dump. */
function describeError(err: Error | DetailedError): string {
  const res = "originalResponse" in err ? err.originalResponse : null;
  if (res) {
    const body = res.getBody()?.trim();
    return body && body.length < 300 ? body : `the server answered ${res.getStatus()}`;
  }
  if ("originalRequest" in err && err.originalRequest) return "the connection to the server was lost";
  return err.message.replace(/^tus: /, "");
}

/**
 * tus-js-client's own rule (retry network errors, 5xx, 409 offset conflicts and 423 locks),
 * except "no space left" (507), which no retry can fix.
 */
function shouldRetry(err: DetailedError): boolean {
  const status = err.originalResponse?.getStatus() ?? 0;
  if (status === 507) return false;
  return (status < 400 || status >= 500 || status === 409 || status === 423) && navigator.onLine;
}

/** When the browser is offline, tus gives up at once; start again when the network returns. */
function retryWhenOnline(imageId: number) {
  window.addEventListener("online", () => retryUpload(imageId), { once: true });
}

/** How long the server says the upload is, to refuse resuming with another file. */
async function serverLength(uploadId: string): Promise<number | null> {
  const res = await fetch(`${ENDPOINT}/${uploadId}`, {
    method: "HEAD",
    headers: { "Tus-Resumable": "1.0.0" },
    credentials: "same-origin",
  });
  if (!res.ok) return null;
  const length = Number(res.headers.get("Upload-Length"));
  return Number.isFinite(length) ? length : null;
}

interface StartOptions {
  imageId: number;
  imageName: string;
  file: File;
  /** the image's uploadId: the server already holds part of the bytes (resume) */
  uploadId?: string;
  /** refetch the image after the upload finished, failed for good or was cancelled */
  onSettled?: () => void;
}

/** Starts (or resumes) sending `file` as the bytes of image `imageId`. */
export async function startUpload({ imageId, imageName, file, uploadId, onSettled }: StartOptions): Promise<void> {
  if (isLive(entries.get(imageId)?.state)) throw new Error(`An upload for ${imageName} is already running`);
  if (uploadId) {
    const length = await serverLength(uploadId);
    if (length !== null && length !== file.size) {
      throw new Error(
        `This is not the file that was being uploaded: the server expects ${formatBytes(length)}, ${file.name} has ${formatBytes(file.size)}`,
      );
    }
  }
  const { Upload } = await import("tus-js-client");
  const meter = createRateMeter();
  const entry: Entry = {
    state: {
      imageId,
      imageName,
      fileName: file.name,
      status: "starting",
      bytesDone: 0,
      bytesTotal: file.size,
      rateBps: 0,
      error: null,
    },
    upload: null,
    meter,
    lastPublish: 0,
    onSettled,
  };
  entries.set(imageId, entry);
  publish();

  const upload = new Upload(file, {
    endpoint: ENDPOINT,
    metadata: { imageId: String(imageId), filename: file.name },
    chunkSize: CHUNK_SIZE,
    retryDelays: RETRY_DELAYS,
    storeFingerprintForResuming: true,
    removeFingerprintOnSuccess: true,
    // the image's id in the fingerprint: the same file uploaded as two images resumes each one's own upload
    fingerprint: async (f) => ["bazaar-image", imageId, f.name, f.size, f.lastModified, ENDPOINT].join("-"),
    onProgress: (sent, total) => {
      const rateBps = meter.sample(sent);
      entry.state = { ...entry.state, status: "uploading", bytesDone: sent, bytesTotal: total, rateBps, error: null };
      if (Date.now() - entry.lastPublish >= PUBLISH_EVERY_MS || sent === total) {
        entry.lastPublish = Date.now();
        publish();
      }
    },
    onShouldRetry: (err) => {
      const retry = shouldRetry(err);
      if (retry) {
        meter.reset();
        patch(imageId, { status: "reconnecting", rateBps: 0, error: describeError(err) });
      }
      return retry;
    },
    onError: (err) => {
      meter.reset();
      const offline = typeof navigator !== "undefined" && !navigator.onLine;
      patch(imageId, {
        status: offline ? "reconnecting" : "failed",
        rateBps: 0,
        error: offline ? "the browser is offline" : describeError(err),
      });
      if (offline) retryWhenOnline(imageId);
    },
    onSuccess: () => {
      patch(imageId, { status: "done", bytesDone: file.size, rateBps: 0, error: null });
      entry.onSettled?.();
    },
  });
  entry.upload = upload;

  const previous = await upload.findPreviousUploads();
  if (previous.length > 0) upload.resumeFromPreviousUpload(previous[0]);
  else if (uploadId) upload.options.uploadUrl = new URL(`${ENDPOINT}/${uploadId}`, window.location.href).toString();
  upload.start();
}

/** Starts a failed upload again from the server's offset. */
export function retryUpload(imageId: number) {
  const entry = entries.get(imageId);
  if (!entry?.upload || !isLive(entry.state)) return;
  entry.meter.reset();
  patch(imageId, { status: "reconnecting", error: null });
  entry.upload.start();
}

/** Stops the upload and removes it from the server; the image goes to ERROR ("the upload was cancelled"). */
export async function cancelUpload(imageId: number): Promise<void> {
  const entry = entries.get(imageId);
  if (!entry?.upload) return;
  try {
    await entry.upload.abort(true);
    patch(imageId, { status: "cancelled", rateBps: 0, error: null });
  } catch (err) {
    patch(imageId, { status: "failed", rateBps: 0, error: `could not cancel: ${describeError(err as Error)}` });
    throw err;
  } finally {
    entry.onSettled?.();
  }
}

/** Forgets a finished, cancelled or failed upload. */
export function dismissUpload(imageId: number) {
  const entry = entries.get(imageId);
  if (!entry) return;
  if (entry.state.status !== "done" && entry.state.status !== "cancelled") void entry.upload?.abort(false);
  entries.delete(imageId);
  publish();
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useUploads(): ReadonlyMap<number, UploadState> {
  return useSyncExternalStore(
    subscribe,
    () => snapshot,
    () => EMPTY,
  );
}

export function useUpload(imageId: number): UploadState | undefined {
  return useUploads().get(imageId);
}

"use client";

import { Button, Group, Stack } from "@mantine/core";
import { IconRefresh, IconX } from "@tabler/icons-react";
import { CancelJobButton } from "@/components/jobs/cancel-job-button";
import { JobProgress } from "@/components/jobs/job-progress";
import { TransferProgress } from "@/components/transfer/transfer-progress";
import { notifyError } from "@/components/ui/notify";
import type { ImageDto } from "./api";
import { isJobActive } from "./image-state";
import { cancelUpload, isLive, retryUpload, useUpload, type UploadState } from "./upload-manager";

const STATUS_TEXT: Record<UploadState["status"], string> = {
  starting: "Starting upload…",
  uploading: "Uploading",
  reconnecting: "Reconnecting…",
  failed: "Upload failed",
  done: "Upload complete",
  cancelled: "Upload cancelled",
};

/** A browser upload's bar: the numbers come from tus progress events. */
export function UploadProgress({ upload, compact }: { upload: UploadState; compact?: boolean }) {
  const stalled = upload.status === "reconnecting" || upload.status === "failed" || upload.status === "cancelled";
  const status =
    upload.error && !compact ? `${STATUS_TEXT[upload.status]} (${upload.error})` : STATUS_TEXT[upload.status];
  return (
    <TransferProgress
      label={`Upload of ${upload.imageName}`}
      bytesDone={upload.bytesDone}
      bytesTotal={upload.bytesTotal}
      rateBps={upload.rateBps}
      status={status}
      stalled={stalled}
      color={upload.status === "failed" ? "red" : upload.status === "done" ? "green" : undefined}
      compact={compact}
    />
  );
}

/** "Cancel upload" (removes the bytes; the image goes to ERROR) and, after a failure, "Retry upload". */
export function UploadControls({ upload, size = "xs" }: { upload: UploadState; size?: "xs" | "sm" }) {
  if (!isLive(upload)) return null;
  return (
    <Group gap="xs">
      {upload.status === "failed" ? (
        <Button
          size={size}
          variant="light"
          leftSection={<IconRefresh size={14} aria-hidden />}
          onClick={() => retryUpload(upload.imageId)}
        >
          Retry upload
        </Button>
      ) : null}
      <Button
        size={size}
        variant="light"
        color="red"
        leftSection={<IconX size={14} aria-hidden />}
        onClick={() => cancelUpload(upload.imageId).catch((err) => notifyError(err))}
      >
        Cancel upload
      </Button>
    </Group>
  );
}

/**
 * What is happening to an image's bytes right now: this browser's upload, or the server's job
 * (import, verification, conversion). Nothing when the image rests.
 */
export function ImageActivity({
  image,
  compact,
  withControls,
}: {
  image: ImageDto;
  compact?: boolean;
  withControls?: boolean;
}) {
  const upload = useUpload(image.id);
  if (upload && isLive(upload)) {
    return (
      <Stack gap={6}>
        <UploadProgress upload={upload} compact={compact} />
        {withControls ? <UploadControls upload={upload} size={compact ? "xs" : "sm"} /> : null}
      </Stack>
    );
  }
  if (image.job && isJobActive(image.job)) {
    return (
      <Stack gap={6}>
        <JobProgress job={image.job} label={`Import of ${image.name}`} compact={compact} />
        {withControls ? (
          <Group>
            <CancelJobButton jobId={image.job.id} size={compact ? "xs" : "sm"} />
          </Group>
        ) : null}
      </Stack>
    );
  }
  return null;
}

"use client";

import { useState } from "react";
import { Alert, Button, Group, Modal, Stack, Text } from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { IconPlayerPlay } from "@tabler/icons-react";
import type { ImageDto } from "./api";
import { useInvalidateImages } from "./queries";
import { FileField, UploadStatusView } from "./upload-image-modal";
import { UploadControls } from "./image-activity";
import { offersResume } from "./image-state";
import { isLive, startUpload, useUpload } from "./upload-manager";

/**
 * The upload controls of an image: "Cancel upload" while this page sends its bytes, or, for an
 * upload image still in INIT that this page does not hold (a reload, another tab), "Resume
 * upload", which asks for the same file again and goes on from the server's offset. The modal
 * stays mounted while the controls switch, so starting the upload does not close it.
 */
export function UploadActions({ image, canManage, withControls = true, size = "xs" }: UploadActionsProps) {
  const [opened, { open, close }] = useDisclosure(false);
  const upload = useUpload(image.id);
  const live = isLive(upload);
  return (
    <>
      {live && withControls ? <UploadControls upload={upload} size={size} /> : null}
      {offersResume(image, upload, canManage) ? (
        <Button size={size} variant="light" leftSection={<IconPlayerPlay size={14} aria-hidden />} onClick={open}>
          Resume upload
        </Button>
      ) : null}
      <Modal opened={opened} onClose={close} title={`Resume upload of ${image.name}`}>
        <ResumeForm image={image} onClose={close} />
      </Modal>
    </>
  );
}

interface UploadActionsProps {
  image: ImageDto;
  canManage: boolean;
  /** show "Cancel upload" / "Retry upload" while the upload runs (rows); the detail page shows them under its bar */
  withControls?: boolean;
  size?: "xs" | "sm";
}

function ResumeForm({ image, onClose }: { image: ImageDto; onClose: () => void }) {
  const invalidate = useInvalidateImages();
  const [file, setFile] = useState<File | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [started, setStarted] = useState(false);
  if (started) return <UploadStatusView imageId={image.id} imageName={image.name} onClose={onClose} />;

  const resume = async () => {
    if (!file) return setError("choose a file");
    setBusy(true);
    try {
      await startUpload({
        imageId: image.id,
        imageName: image.name,
        file,
        uploadId: image.uploadId || undefined,
        onSettled: invalidate,
      });
      setStarted(true);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Stack>
      <Text size="sm">
        Choose the same file again.{" "}
        {image.uploadId ? "The upload goes on from where the server stopped." : "The upload starts from the beginning."}
      </Text>
      {error && file ? (
        <Alert color="red" role="alert">
          {error}
        </Alert>
      ) : null}
      <FileField
        file={file}
        error={!file ? error : undefined}
        onChange={(f) => {
          setFile(f);
          setError(null);
        }}
      />
      <Group justify="flex-end">
        <Button variant="default" onClick={onClose}>
          Cancel
        </Button>
        <Button onClick={resume} loading={busy}>
          Resume upload
        </Button>
      </Group>
    </Stack>
  );
}

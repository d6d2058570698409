"use client";

import { useState, type ReactNode } from "react";
import Link from "next/link";
import { Alert, Anchor, Button, Group, Stack, Text, TextInput } from "@mantine/core";
import { useForm } from "@mantine/form";
import { IconUpload } from "@tabler/icons-react";
import { FormActions, ModalButton } from "@/components/ui/modal-button";
import { notifyError } from "@/components/ui/notify";
import {
  ChecksumField,
  commonBody,
  imageFormInitialValues,
  ImageTargetFields,
  showCreateError,
  type ImageFormValues,
  uploadFormValidate,
} from "./image-fields";
import { nameFromFile } from "./image-state";
import { UploadControls, UploadProgress } from "./image-activity";
import { useCreateImage, useInvalidateImages } from "./queries";
import { startUpload, useUpload } from "./upload-manager";

export function UploadImageButton() {
  return (
    <ModalButton label="Upload image" icon={<IconUpload size={16} aria-hidden />} title="Upload image" size="lg">
      {(close) => <UploadImageForm onClose={close} />}
    </ModalButton>
  );
}

/** A native file input, so that keyboard users, screen readers and Playwright's setInputFiles reach it. */
export function FileField({
  file,
  error,
  onChange,
}: {
  file: File | null;
  error?: ReactNode;
  onChange: (file: File | null) => void;
}) {
  return (
    <TextInput
      type="file"
      label="Image file"
      description={
        file
          ? `${file.name}, ${file.size.toLocaleString()} bytes`
          : "A disk image (qcow2, raw, ISO…) or a kernel, ramdisk or context file"
      }
      error={error}
      onChange={(e) => onChange(e.currentTarget.files?.[0] ?? null)}
      styles={{ input: { paddingTop: 5 } }}
    />
  );
}

function UploadImageForm({ onClose }: { onClose: () => void }) {
  const create = useCreateImage();
  const invalidate = useInvalidateImages();
  const [started, setStarted] = useState<{ id: number; name: string } | null>(null);
  const form = useForm<ImageFormValues>({
    initialValues: imageFormInitialValues,
    validate: uploadFormValidate,
  });

  if (started) return <UploadStatusView imageId={started.id} imageName={started.name} onClose={onClose} />;

  const pickFile = (file: File | null) => {
    form.setFieldValue("file", file);
    form.clearFieldError("file");
    // the name follows the file until the user types one of their own
    if (file && (!form.values.name || form.values.name === nameFromFile(form.values.file?.name ?? ""))) {
      form.setFieldValue("name", nameFromFile(file.name));
    }
  };

  const submit = form.onSubmit(async (v) => {
    const file = v.file!;
    let image;
    try {
      image = await create.mutateAsync({
        source: "upload",
        size: file.size,
        filename: file.name,
        ...commonBody(v),
        expectedMd5: "",
      });
    } catch (err) {
      showCreateError(err, form);
      return;
    }
    setStarted({ id: image.id, name: image.name });
    startUpload({ imageId: image.id, imageName: image.name, file, onSettled: invalidate }).catch((err) =>
      notifyError(err),
    );
  });

  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <FileField file={form.values.file} error={form.errors.file} onChange={pickFile} />
        <ImageTargetFields form={form} />
        <ChecksumField form={form} kind="sha256" />
        <FormActions submitLabel="Upload" pending={create.isPending} onCancel={onClose} />
      </Stack>
    </form>
  );
}

/**
 * An upload's live state inside a modal: the bar, "Cancel upload", and once the bytes are
 * there, a word that the server now imports them. Closing leaves the upload running.
 */
export function UploadStatusView({
  imageId,
  imageName,
  onClose,
}: {
  imageId: number;
  imageName: string;
  onClose: () => void;
}) {
  const upload = useUpload(imageId);
  return (
    <Stack>
      {upload ? <UploadProgress upload={upload} /> : <Text size="sm">Starting upload…</Text>}
      {upload?.status === "done" ? (
        <Alert color="green" title="Upload complete">
          The server is now checking and importing the image.{" "}
          <Anchor component={Link} href={`/images/${imageId}`} onClick={onClose}>
            Open image {imageName}
          </Anchor>
        </Alert>
      ) : null}
      {upload?.status === "cancelled" ? (
        <Alert color="gray">The upload was cancelled; the image is marked as failed.</Alert>
      ) : null}
      <Group justify="space-between">
        {upload ? <UploadControls upload={upload} size="sm" /> : <span />}
        <Button variant="default" onClick={onClose}>
          Close
        </Button>
      </Group>
      {upload && upload.status !== "done" && upload.status !== "cancelled" ? (
        <Text size="xs" c="dimmed">
          Closing this window keeps the upload going; the images list shows its progress. Keep this browser tab open.
        </Text>
      ) : null}
    </Stack>
  );
}

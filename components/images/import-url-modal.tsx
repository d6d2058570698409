"use client";

import { Stack, TextInput } from "@mantine/core";
import { useForm } from "@mantine/form";
import { IconWorldDownload } from "@tabler/icons-react";
import { FormActions, ModalButton } from "@/components/ui/modal-button";
import { notifySuccess } from "@/components/ui/notify";
import {
  ChecksumField,
  commonBody,
  imageFormInitialValues,
  ImageTargetFields,
  showCreateError,
  type ImageFormValues,
  urlFormValidate,
} from "./image-fields";
import { nameFromUrl } from "./image-state";
import { useCreateImage } from "./queries";

export function ImportUrlButton() {
  return (
    <ModalButton
      label="Import from URL"
      icon={<IconWorldDownload size={16} aria-hidden />}
      variant="default"
      title="Import from URL"
      size="lg"
    >
      {(close) => <ImportUrlForm onDone={close} />}
    </ModalButton>
  );
}

/** The server downloads the image in a job; the list shows the job's progress. */
function ImportUrlForm({ onDone }: { onDone: () => void }) {
  const create = useCreateImage();
  const form = useForm<ImageFormValues>({
    initialValues: imageFormInitialValues,
    validate: urlFormValidate,
  });

  const submit = form.onSubmit((v) =>
    create.mutate(
      { source: "url", url: v.url.trim(), ...commonBody(v) },
      {
        onSuccess: (image) => {
          notifySuccess(`Importing ${image.name}`);
          onDone();
        },
        onError: (err) => showCreateError(err, form),
      },
    ),
  );

  const urlProps = form.getInputProps("url");
  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <TextInput
          label="URL"
          placeholder="https://cloud.debian.org/images/cloud/bookworm/latest/debian-12-generic-amd64.qcow2"
          data-autofocus
          autoComplete="off"
          spellCheck={false}
          {...urlProps}
          onChange={(e) => {
            const url = e.currentTarget.value;
            urlProps.onChange(e);
            // the name follows the URL until the user types one of their own
            const name = form.values.name;
            if (!name || name === nameFromUrl(form.values.url.trim()))
              form.setFieldValue("name", nameFromUrl(url.trim()));
          }}
        />
        <ImageTargetFields form={form} />
        <ChecksumField form={form} kind="md5" />
        <ChecksumField form={form} kind="sha256" />
        <FormActions submitLabel="Import" pending={create.isPending} onCancel={onDone} />
      </Stack>
    </form>
  );
}

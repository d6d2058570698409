"use client";

import { Button, Group, Modal, Stack, TextInput } from "@mantine/core";
import { useForm } from "@mantine/form";
import { useDisclosure } from "@mantine/hooks";
import { IconWorldDownload } from "@tabler/icons-react";
import { notifySuccess } from "@/components/ui/notify";
import {
  ChecksumField,
  commonBody,
  imageFormInitialValues,
  imageFormValidate,
  ImageTargetFields,
  showCreateError,
  type ImageFormValues,
} from "./image-fields";
import { nameFromUrl } from "./image-state";
import { useCreateImage } from "./queries";

export function ImportUrlButton() {
  const [opened, { open, close }] = useDisclosure(false);
  return (
    <>
      <Button variant="default" leftSection={<IconWorldDownload size={16} aria-hidden />} onClick={open}>
        Import from URL
      </Button>
      <Modal opened={opened} onClose={close} title="Import from URL" size="lg">
        <ImportUrlForm onDone={close} />
      </Modal>
    </>
  );
}

/** The server downloads the image in a job; the list shows the job's progress. */
function ImportUrlForm({ onDone }: { onDone: () => void }) {
  const create = useCreateImage();
  const form = useForm<ImageFormValues>({
    initialValues: imageFormInitialValues,
    validate: {
      ...imageFormValidate,
      url: (v) => (/^https?:\/\/\S+$/i.test(v.trim()) ? null : "must be an http:// or https:// address"),
    },
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
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            Cancel
          </Button>
          <Button type="submit" loading={create.isPending}>
            Import
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

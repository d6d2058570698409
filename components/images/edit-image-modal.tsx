"use client";

import { Button, Group, Modal, NativeSelect, Stack, Textarea, TextInput } from "@mantine/core";
import { useForm } from "@mantine/form";
import { useDisclosure } from "@mantine/hooks";
import { IconEdit } from "@tabler/icons-react";
import { useDatastore } from "@/components/datastores/queries";
import { isShown } from "@/components/permissions/object-ref";
import { notifyError, notifySuccess } from "@/components/ui/notify";
import type { ImageDto } from "./api";
import { IMAGE_TYPES, TYPES_BY_DATASTORE } from "./image-state";
import { useUpdateImage } from "./queries";

export function EditImageButton({ image, disabled }: { image: ImageDto; disabled?: boolean }) {
  const [opened, { open, close }] = useDisclosure(false);
  return (
    <>
      <Button variant="default" leftSection={<IconEdit size={16} aria-hidden />} onClick={open} disabled={disabled}>
        Edit
      </Button>
      <Modal opened={opened} onClose={close} title={`Edit image ${image.name}`} size="lg">
        <EditImageForm image={image} onDone={close} />
      </Modal>
    </>
  );
}

function EditImageForm({ image, onDone }: { image: ImageDto; onDone: () => void }) {
  const update = useUpdateImage();
  // the types the image's datastore takes; all of them if the datastore cannot be read (nor is
  // asked for when the user may not see it)
  const datastore = useDatastore(image.datastore.id, { enabled: isShown(image.datastore) }).data;
  const types = datastore ? TYPES_BY_DATASTORE[datastore.type] : IMAGE_TYPES;
  const form = useForm({
    initialValues: { name: image.name, type: image.type as string, description: image.description },
    validate: { name: (v) => (v.trim() ? null : "is required") },
  });

  const submit = form.onSubmit((v) => {
    const patch = {
      ...(v.name.trim() !== image.name ? { name: v.name.trim() } : {}),
      ...(v.type !== image.type ? { type: v.type as ImageDto["type"] } : {}),
      ...(v.description !== image.description ? { description: v.description } : {}),
    };
    if (Object.keys(patch).length === 0) return onDone();
    update.mutate(
      { id: image.id, patch },
      {
        onSuccess: (saved) => {
          notifySuccess(`Image ${saved.name} saved`);
          onDone();
        },
        onError: (err) => notifyError(err, form),
      },
    );
  });

  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <TextInput label="Name" data-autofocus autoComplete="off" {...form.getInputProps("name")} />
        <NativeSelect label="Type" data={[...new Set([image.type, ...types])]} {...form.getInputProps("type")} />
        <Textarea label="Description" autosize minRows={2} {...form.getInputProps("description")} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            Cancel
          </Button>
          <Button type="submit" loading={update.isPending}>
            Save
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

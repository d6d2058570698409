"use client";

import { NativeSelect, Textarea, TextInput } from "@mantine/core";
import { useForm } from "@mantine/form";
import { useDatastore } from "@/components/datastores/queries";
import { isShown } from "@/components/permissions/object-ref";
import { changedFields, EditButton, EditForm } from "@/components/ui/edit-modal";
import { schemaValidate } from "@/components/ui/schema-validate";
import { imageFields } from "@/lib/images/image-schemas";
import type { ImageDto } from "./api";
import { IMAGE_TYPES, TYPES_BY_DATASTORE } from "./image-state";
import { useUpdateImage } from "./queries";

export function EditImageButton({ image, disabled }: { image: ImageDto; disabled?: boolean }) {
  return (
    <EditButton kind="image" name={image.name} disabled={disabled}>
      {(close) => <EditImageForm image={image} onDone={close} />}
    </EditButton>
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
    validate: schemaValidate(imageFields),
  });
  return (
    <EditForm
      form={form}
      kind="Image"
      patchOf={(v) => changedFields({ ...v, name: v.name.trim(), type: v.type as ImageDto["type"] }, image)}
      save={(patch) => update.mutateAsync({ id: image.id, patch })}
      pending={update.isPending}
      onDone={onDone}
    >
      <TextInput label="Name" data-autofocus autoComplete="off" {...form.getInputProps("name")} />
      <NativeSelect label="Type" data={[...new Set([image.type, ...types])]} {...form.getInputProps("type")} />
      <Textarea label="Description" autosize minRows={2} {...form.getInputProps("description")} />
    </EditForm>
  );
}

"use client";

import { NativeSelect, Textarea, TextInput } from "@mantine/core";
import type { UseFormReturnType } from "@mantine/form";
import { z } from "zod";
import { useAllDatastores } from "@/components/datastores/queries";
import { formatBytes } from "@/components/transfer/format";
import { ApiError } from "@/components/api/client";
import { notifyError } from "@/components/ui/notify";
import { schemaValidate, selected } from "@/components/ui/schema-validate";
import { uploadImageBody, urlImageBody } from "@/lib/images/image-schemas";
import { IMAGE_TYPES, TYPES_BY_DATASTORE } from "./image-state";

/** What "Upload image" and "Import from URL" ask for (each uses its part). */
export interface ImageFormValues {
  file: File | null;
  url: string;
  name: string;
  datastoreId: string;
  type: string;
  description: string;
  expectedMd5: string;
  expectedSha256: string;
}

export type ImageForm = UseFormReturnType<ImageFormValues>;

export const imageFormInitialValues: ImageFormValues = {
  file: null,
  url: "",
  name: "",
  datastoreId: "",
  type: "OS",
  description: "",
  expectedMd5: "",
  expectedSha256: "",
};

/** The API's rules for each source, over the form's values (the datastore is a select's "12"). */
export const urlFormValidate = schemaValidate(
  urlImageBody.omit({ source: true }).extend({ datastoreId: selected(urlImageBody.shape.datastoreId) }),
);
export const uploadFormValidate = schemaValidate(
  uploadImageBody.omit({ source: true, size: true, filename: true }).extend({
    datastoreId: selected(uploadImageBody.shape.datastoreId),
    // the file's size is checked by the API (an empty file is refused there, on this field)
    file: z.custom<File | null>((f) => f != null, "Choose a file"),
  }),
);

/** The create body's fields both sources share. */
export function commonBody(v: ImageFormValues) {
  return {
    name: v.name.trim(),
    datastoreId: Number(v.datastoreId),
    type: v.type as (typeof IMAGE_TYPES)[number],
    description: v.description,
    expectedMd5: v.expectedMd5.trim(),
    expectedSha256: v.expectedSha256.trim(),
  };
}

/** API field errors next to their fields; the upload's `size` belongs to the file input. */
export function showCreateError(err: unknown, form: ImageForm) {
  notifyError(err, form);
  if (err instanceof ApiError && err.fieldErrors().size) form.setFieldError("file", err.fieldErrors().size);
}

/** Datastore (enabled ones you may use), Type (what that datastore takes), Name and Description. */
export function ImageTargetFields({ form }: { form: ImageForm }) {
  const datastores = useAllDatastores().filter((d) => d.enabled);
  const chosen = datastores.find((d) => String(d.id) === form.values.datastoreId);
  const types = chosen ? TYPES_BY_DATASTORE[chosen.type] : IMAGE_TYPES;
  const datastoreProps = form.getInputProps("datastoreId");
  return (
    <>
      <TextInput label="Name" autoComplete="off" {...form.getInputProps("name")} />
      <NativeSelect
        label="Datastore"
        data={[
          {
            value: "",
            label: datastores.length ? "Choose a datastore" : "No enabled datastore you may use",
            disabled: true,
          },
          ...datastores.map((d) => ({
            value: String(d.id),
            label: `${d.name} (${d.type}, ${formatBytes(d.capacity.freeBytes)} free)`,
          })),
        ]}
        {...datastoreProps}
        onChange={(e) => {
          datastoreProps.onChange(e);
          const ds = datastores.find((d) => String(d.id) === e.currentTarget.value);
          const allowed = ds ? TYPES_BY_DATASTORE[ds.type] : IMAGE_TYPES;
          if (!allowed.includes(form.values.type)) form.setFieldValue("type", allowed[0]);
        }}
      />
      <NativeSelect label="Type" data={[...types]} {...form.getInputProps("type")} />
      <Textarea label="Description" autosize minRows={2} {...form.getInputProps("description")} />
    </>
  );
}

export function ChecksumField({ form, kind }: { form: ImageForm; kind: "md5" | "sha256" }) {
  const field = kind === "md5" ? "expectedMd5" : "expectedSha256";
  return (
    <TextInput
      label={kind === "md5" ? "Expected md5" : "Expected sha256"}
      description="Optional; the image is refused when the bytes do not match"
      autoComplete="off"
      spellCheck={false}
      styles={{ input: { fontFamily: "var(--mantine-font-family-monospace)" } }}
      {...form.getInputProps(field)}
    />
  );
}

"use client";

import { NativeSelect, NumberInput, Stack, Textarea, TextInput } from "@mantine/core";
import { useForm } from "@mantine/form";
import { IconEdit, IconPlus } from "@tabler/icons-react";
import { useSession } from "@/components/auth/session-context";
import { FormActions, ModalButton } from "@/components/ui/modal-button";
import { notifyError, notifySuccess } from "@/components/ui/notify";
import { blank, schemaValidate } from "@/components/ui/schema-validate";
import { createDatastoreBody } from "@/lib/datastores/datastore-schemas";
import type { DatastoreDto } from "./api";
import { useCreateDatastore, useUpdateDatastore } from "./queries";

const TYPE_OPTIONS = [
  { value: "IMAGE", label: "Image (disks: OS, CD-ROM, data block)" },
  { value: "FILE", label: "File (kernels, ramdisks, context files)" },
];
const FORMAT_OPTIONS = [
  { value: "any", label: "Any format" },
  { value: "qcow2", label: "qcow2 only" },
  { value: "raw", label: "raw only" },
];

/** "Create datastore" without a datastore, "Edit" with one. */
export function DatastoreFormButton({ datastore, disabled }: { datastore?: DatastoreDto; disabled?: boolean }) {
  return (
    <ModalButton
      label={datastore ? "Edit" : "Create datastore"}
      icon={datastore ? <IconEdit size={16} aria-hidden /> : <IconPlus size={16} aria-hidden />}
      variant={datastore ? "default" : undefined}
      disabled={disabled}
      title={datastore ? `Edit datastore ${datastore.name}` : "Create datastore"}
      size="lg"
    >
      {(close) => <DatastoreForm datastore={datastore} onDone={close} />}
    </ModalButton>
  );
}

/** The API's rules over the form's values: an empty limit is none, an empty directory the default. */
const validate = schemaValidate(
  createDatastoreBody.extend({
    limitMb: blank(null, createDatastoreBody.shape.limitMb),
    basePath: blank(undefined, createDatastoreBody.shape.basePath),
  }),
);

/** Everyone with the DATASTORE create right (admins always) may create one. */
export function useCanCreateDatastore(): boolean {
  const { isAdmin, createRights } = useSession().user;
  return isAdmin || createRights.includes("DATASTORE");
}

function DatastoreForm({ datastore, onDone }: { datastore?: DatastoreDto; onDone: () => void }) {
  const { isAdmin } = useSession().user;
  const create = useCreateDatastore();
  const update = useUpdateDatastore();
  const form = useForm({
    initialValues: {
      name: datastore?.name ?? "",
      type: datastore?.type ?? "IMAGE",
      requiredFormat: datastore?.requiredFormat ?? "any",
      limitMb: (datastore?.limitMb ?? "") as number | string,
      description: datastore?.description ?? "",
      basePath: "",
    },
    validate,
  });

  const submit = form.onSubmit((v) => {
    const common = {
      name: v.name.trim(),
      requiredFormat: v.requiredFormat,
      limitMb: v.limitMb === "" ? null : Number(v.limitMb),
      description: v.description,
    };
    const callbacks = {
      onSuccess: (saved: DatastoreDto) => {
        notifySuccess(`Datastore ${saved.name} ${datastore ? "saved" : "created"}`);
        onDone();
      },
      onError: (err: Error) => notifyError(err, form),
    };
    if (datastore) update.mutate({ id: datastore.id, patch: common }, callbacks);
    else
      create.mutate(
        { ...common, type: v.type, ...(isAdmin && v.basePath.trim() ? { basePath: v.basePath.trim() } : {}) },
        callbacks,
      );
  });

  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <TextInput label="Name" data-autofocus autoComplete="off" {...form.getInputProps("name")} />
        {datastore ? null : <NativeSelect label="Type" data={TYPE_OPTIONS} {...form.getInputProps("type")} />}
        <NativeSelect
          label="Required format"
          description="Images of another disk format are refused"
          data={FORMAT_OPTIONS}
          {...form.getInputProps("requiredFormat")}
        />
        <NumberInput
          label="Limit (MB)"
          description="Optional cap on the space images may take; empty for none"
          min={1}
          allowDecimal={false}
          allowNegative={false}
          {...form.getInputProps("limitMb")}
        />
        <Textarea label="Description" autosize minRows={2} {...form.getInputProps("description")} />
        {isAdmin && !datastore ? (
          <TextInput
            label="Directory"
            description="Absolute path on the server; only administrators choose it"
            placeholder="default: under the data directory"
            autoComplete="off"
            {...form.getInputProps("basePath")}
          />
        ) : null}
        <FormActions
          submitLabel={datastore ? "Save" : "Create"}
          pending={create.isPending || update.isPending}
          onCancel={onDone}
        />
      </Stack>
    </form>
  );
}

"use client";

import { Button, Group, Modal, NativeSelect, NumberInput, Stack, Textarea, TextInput } from "@mantine/core";
import { useForm } from "@mantine/form";
import { useDisclosure } from "@mantine/hooks";
import { IconEdit, IconPlus } from "@tabler/icons-react";
import { useSession } from "@/components/auth/session-context";
import { notifyError, notifySuccess } from "@/components/ui/notify";
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
  const [opened, { open, close }] = useDisclosure(false);
  return (
    <>
      {datastore ? (
        <Button variant="default" leftSection={<IconEdit size={16} aria-hidden />} onClick={open} disabled={disabled}>
          Edit
        </Button>
      ) : (
        <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={open} disabled={disabled}>
          Create datastore
        </Button>
      )}
      <Modal
        opened={opened}
        onClose={close}
        title={datastore ? `Edit datastore ${datastore.name}` : "Create datastore"}
        size="lg"
      >
        <DatastoreForm datastore={datastore} onDone={close} />
      </Modal>
    </>
  );
}

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
    validate: {
      name: (v) => (v.trim() ? null : "is required"),
      basePath: (v) => (!v.trim() || v.trim().startsWith("/") ? null : "must be an absolute path"),
    },
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
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            Cancel
          </Button>
          <Button type="submit" loading={create.isPending || update.isPending}>
            {datastore ? "Save" : "Create"}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

"use client";

import { useRouter } from "next/navigation";
import { Button, Group, Modal, MultiSelect, Stack, Textarea, TextInput } from "@mantine/core";
import { useForm } from "@mantine/form";
import { useDisclosure } from "@mantine/hooks";
import { IconEdit, IconPlus } from "@tabler/icons-react";
import { useGroupOptions } from "@/components/groups/queries";
import { notifyError, notifySuccess } from "@/components/ui/notify";
import type { VdcDto } from "./api";
import { useCreateVdc, useUpdateVdc } from "./queries";

/**
 * "Create VDC" without a VDC, "Edit" (name and description) with one. A new VDC opens on its
 * page, where its groups and resources are picked.
 */
export function VdcFormButton({ vdc }: { vdc?: VdcDto }) {
  const [opened, { open, close }] = useDisclosure(false);
  return (
    <>
      {vdc ? (
        <Button variant="default" leftSection={<IconEdit size={16} aria-hidden />} onClick={open}>
          Edit
        </Button>
      ) : (
        <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={open}>
          Create VDC
        </Button>
      )}
      <Modal opened={opened} onClose={close} title={vdc ? `Edit VDC ${vdc.name}` : "Create VDC"} size="lg">
        <VdcForm vdc={vdc} onDone={close} />
      </Modal>
    </>
  );
}

function VdcForm({ vdc, onDone }: { vdc?: VdcDto; onDone: () => void }) {
  const router = useRouter();
  const groupOptions = useGroupOptions();
  const create = useCreateVdc();
  const update = useUpdateVdc();
  const form = useForm({
    initialValues: {
      name: vdc?.name ?? "",
      description: vdc?.description ?? "",
      groupIds: vdc?.groups.map((g) => String(g.id)) ?? [],
    },
    validate: { name: (v) => (v.trim() ? null : "is required") },
  });

  const submit = form.onSubmit((v) => {
    const body = { name: v.name, description: v.description };
    const callbacks = {
      onSuccess: (saved: VdcDto) => {
        notifySuccess(`VDC ${saved.name} ${vdc ? "saved" : "created"}`);
        onDone();
        if (!vdc) router.push(`/vdcs/${saved.id}`);
      },
      onError: (err: Error) => notifyError(err, form),
    };
    if (vdc) update.mutate({ id: vdc.id, patch: body }, callbacks);
    else create.mutate({ ...body, groupIds: v.groupIds.map(Number) }, callbacks);
  });

  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <TextInput label="Name" data-autofocus {...form.getInputProps("name")} />
        <Textarea label="Description" autosize minRows={2} {...form.getInputProps("description")} />
        {vdc ? null : (
          <MultiSelect
            label="Groups"
            description="Members of these groups may use the VDC's resources; add the resources on the VDC's page"
            data={groupOptions}
            searchable
            clearable
            {...form.getInputProps("groupIds")}
          />
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            Cancel
          </Button>
          <Button type="submit" loading={create.isPending || update.isPending}>
            {vdc ? "Save" : "Create"}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

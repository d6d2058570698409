"use client";

import { useRouter } from "next/navigation";
import { MultiSelect, Stack, Textarea, TextInput } from "@mantine/core";
import { useForm } from "@mantine/form";
import { IconEdit, IconPlus } from "@tabler/icons-react";
import { useGroupOptions } from "@/components/groups/queries";
import { FormActions, ModalButton } from "@/components/ui/modal-button";
import { notifyError, notifySuccess } from "@/components/ui/notify";
import { schemaValidate, selectedList } from "@/components/ui/schema-validate";
import { createVdcBody } from "@/lib/vdcs/vdc-schemas";
import type { VdcDto } from "./api";
import { useCreateVdc, useUpdateVdc } from "./queries";

/**
 * "Create VDC" without a VDC, "Edit" (name and description) with one. A new VDC opens on its
 * page, where its groups and resources are picked.
 */
export function VdcFormButton({ vdc }: { vdc?: VdcDto }) {
  return (
    <ModalButton
      label={vdc ? "Edit" : "Create VDC"}
      icon={vdc ? <IconEdit size={16} aria-hidden /> : <IconPlus size={16} aria-hidden />}
      variant={vdc ? "default" : undefined}
      title={vdc ? `Edit VDC ${vdc.name}` : "Create VDC"}
      size="lg"
    >
      {(close) => <VdcForm vdc={vdc} onDone={close} />}
    </ModalButton>
  );
}

const validate = schemaValidate(createVdcBody.extend({ groupIds: selectedList(createVdcBody.shape.groupIds) }));

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
    validate,
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
        <FormActions
          submitLabel={vdc ? "Save" : "Create"}
          pending={create.isPending || update.isPending}
          onCancel={onDone}
        />
      </Stack>
    </form>
  );
}

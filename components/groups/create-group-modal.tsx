"use client";

import { Stack } from "@mantine/core";
import { useForm } from "@mantine/form";
import { IconPlus } from "@tabler/icons-react";
import { FormActions, ModalButton } from "@/components/ui/modal-button";
import { notifyError, notifySuccess } from "@/components/ui/notify";
import { schemaValidate } from "@/components/ui/schema-validate";
import { createGroupBody } from "@/lib/groups/group-schemas";
import { DEFAULT_GROUP_CREATE_RIGHTS } from "@/lib/permissions/resources";
import { GroupFields, type GroupFormValues } from "./group-fields";
import { useCreateGroup } from "./queries";

export function CreateGroupButton() {
  return (
    <ModalButton label="Create group" icon={<IconPlus size={16} aria-hidden />} title="Create group" size="lg">
      {(close) => <CreateGroupForm onDone={close} />}
    </ModalButton>
  );
}

function CreateGroupForm({ onDone }: { onDone: () => void }) {
  const create = useCreateGroup();
  const form = useForm<GroupFormValues>({
    initialValues: { name: "", description: "", createRights: [...DEFAULT_GROUP_CREATE_RIGHTS] },
    validate: schemaValidate(createGroupBody),
  });
  const submit = form.onSubmit((v) =>
    create.mutate(v, {
      onSuccess: (group) => {
        notifySuccess(`Group ${group.name} created`);
        onDone();
      },
      onError: (err) => notifyError(err, form),
    }),
  );
  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <GroupFields form={form} />
        <FormActions submitLabel="Create" pending={create.isPending} onCancel={onDone} />
      </Stack>
    </form>
  );
}

"use client";

import { Button, Group, Modal, Stack } from "@mantine/core";
import { useForm } from "@mantine/form";
import { useDisclosure } from "@mantine/hooks";
import { IconPlus } from "@tabler/icons-react";
import { notifyError, notifySuccess } from "@/components/ui/notify";
import { DEFAULT_GROUP_CREATE_RIGHTS } from "@/lib/permissions/resources";
import { GroupFields, type GroupFormValues } from "./group-fields";
import { useCreateGroup } from "./queries";

export function CreateGroupButton() {
  const [opened, { open, close }] = useDisclosure(false);
  return (
    <>
      <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={open}>
        Create group
      </Button>
      <Modal opened={opened} onClose={close} title="Create group" size="lg">
        <CreateGroupForm onDone={close} />
      </Modal>
    </>
  );
}

function CreateGroupForm({ onDone }: { onDone: () => void }) {
  const create = useCreateGroup();
  const form = useForm<GroupFormValues>({
    initialValues: { name: "", description: "", createRights: [...DEFAULT_GROUP_CREATE_RIGHTS] },
    validate: { name: (v) => (v.trim() ? null : "is required") },
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
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            Cancel
          </Button>
          <Button type="submit" loading={create.isPending}>
            Create
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

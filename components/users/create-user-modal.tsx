"use client";

import { Button, Group, Modal, MultiSelect, Select, Stack, TextInput } from "@mantine/core";
import { PasswordField } from "@/components/ui/password-field";
import { useForm } from "@mantine/form";
import { useDisclosure } from "@mantine/hooks";
import { IconPlus } from "@tabler/icons-react";
import { useGroupOptions } from "@/components/groups/queries";
import { notifyError, notifySuccess } from "@/components/ui/notify";
import { useCreateUser } from "./queries";

const initialValues = {
  username: "",
  password: "",
  displayName: "",
  email: "",
  primaryGroupId: null as string | null,
  groupIds: [] as string[],
};

export function CreateUserButton() {
  const [opened, { open, close }] = useDisclosure(false);
  return (
    <>
      <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={open}>
        Create user
      </Button>
      <Modal opened={opened} onClose={close} title="Create user" size="lg">
        <CreateUserForm onDone={close} />
      </Modal>
    </>
  );
}

function CreateUserForm({ onDone }: { onDone: () => void }) {
  const groupOptions = useGroupOptions();
  const create = useCreateUser();
  const form = useForm({
    initialValues,
    validate: {
      username: (v) => (v.trim() ? null : "is required"),
      password: (v) => (v.length >= 8 ? null : "must be at least 8 characters"),
    },
  });

  const submit = form.onSubmit((v) =>
    create.mutate(
      {
        username: v.username.trim(),
        password: v.password,
        displayName: v.displayName,
        email: v.email.trim(),
        primaryGroupId: v.primaryGroupId ? Number(v.primaryGroupId) : undefined,
        groupIds: v.groupIds.map(Number),
      },
      {
        onSuccess: (user) => {
          notifySuccess(`User ${user.username} created`);
          onDone();
        },
        onError: (err) => notifyError(err, form),
      },
    ),
  );

  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <TextInput label="Username" data-autofocus autoComplete="off" {...form.getInputProps("username")} />
        <PasswordField label="Password" autoComplete="new-password" {...form.getInputProps("password")} />
        <TextInput label="Display name" {...form.getInputProps("displayName")} />
        <TextInput label="E-mail" type="email" {...form.getInputProps("email")} />
        <Select
          label="Primary group"
          description="Defaults to the users group"
          data={groupOptions}
          searchable
          clearable
          {...form.getInputProps("primaryGroupId")}
        />
        <MultiSelect label="Groups" data={groupOptions} searchable clearable {...form.getInputProps("groupIds")} />
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

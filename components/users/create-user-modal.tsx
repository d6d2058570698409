"use client";

import { MultiSelect, Select, Stack, TextInput } from "@mantine/core";
import { PasswordField } from "@/components/ui/password-field";
import { useForm } from "@mantine/form";
import { IconPlus } from "@tabler/icons-react";
import { useGroupOptions } from "@/components/groups/queries";
import { FormActions, ModalButton } from "@/components/ui/modal-button";
import { notifyError, notifySuccess } from "@/components/ui/notify";
import { schemaValidate, selected, selectedList } from "@/components/ui/schema-validate";
import { createUserBody } from "@/lib/users/user-schemas";
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
  return (
    <ModalButton label="Create user" icon={<IconPlus size={16} aria-hidden />} title="Create user" size="lg">
      {(close) => <CreateUserForm onDone={close} />}
    </ModalButton>
  );
}

/** The API's rules over the form's values (groups are a select's "12"s). */
const validate = schemaValidate(
  createUserBody.extend({
    primaryGroupId: selected(createUserBody.shape.primaryGroupId),
    groupIds: selectedList(createUserBody.shape.groupIds),
  }),
);

function CreateUserForm({ onDone }: { onDone: () => void }) {
  const groupOptions = useGroupOptions();
  const create = useCreateUser();
  const form = useForm({
    initialValues,
    validate,
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
        <FormActions submitLabel="Create" pending={create.isPending} onCancel={onDone} />
      </Stack>
    </form>
  );
}

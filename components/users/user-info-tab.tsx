"use client";

import { Button, Group, Stack, Switch, TextInput } from "@mantine/core";
import { useForm } from "@mantine/form";
import { notifyError, notifySuccess } from "@/components/ui/notify";
import { schemaValidate } from "@/components/ui/schema-validate";
import { userFields } from "@/lib/users/user-schemas";
import type { UserDto } from "./api";
import { useUpdateUser } from "./queries";

export function UserInfoTab({ user, isSelf }: { user: UserDto; isSelf: boolean }) {
  const update = useUpdateUser();
  const form = useForm({
    initialValues: { displayName: user.displayName, email: user.email },
    validate: schemaValidate(userFields.pick({ displayName: true, email: true })),
  });

  const submit = form.onSubmit((v) =>
    update.mutate(
      { id: user.id, patch: { displayName: v.displayName, email: v.email.trim() } },
      {
        onSuccess: (saved) => {
          form.resetDirty({ displayName: saved.displayName, email: saved.email });
          notifySuccess(`User ${user.username} saved`);
        },
        onError: (err) => notifyError(err, form),
      },
    ),
  );

  const toggleEnabled = (enabled: boolean) =>
    update.mutate(
      { id: user.id, patch: { enabled } },
      {
        onSuccess: () => notifySuccess(`User ${user.username} ${enabled ? "enabled" : "disabled"}`),
        onError: (err) => notifyError(err),
      },
    );

  return (
    <Stack maw={520}>
      <Switch
        label="Enabled"
        description={isSelf ? "You cannot disable your own account" : "Disabling ends the user's sessions"}
        checked={user.enabled}
        disabled={isSelf || update.isPending}
        onChange={(e) => toggleEnabled(e.currentTarget.checked)}
      />
      <form onSubmit={submit} noValidate>
        <Stack>
          <TextInput label="Display name" {...form.getInputProps("displayName")} />
          <TextInput label="E-mail" type="email" {...form.getInputProps("email")} />
          <Group>
            <Button type="submit" loading={update.isPending} disabled={!form.isDirty()}>
              Save
            </Button>
          </Group>
        </Stack>
      </form>
    </Stack>
  );
}

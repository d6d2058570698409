"use client";

import { Button, Group, Stack } from "@mantine/core";
import { PasswordField } from "@/components/ui/password-field";
import { useForm } from "@mantine/form";
import { notifyError, notifySuccess } from "@/components/ui/notify";
import { confirmed, schemaValidate } from "@/components/ui/schema-validate";
import { changePasswordBody } from "@/lib/users/user-schemas";
import { useChangePassword } from "./queries";

export function ChangePasswordForm() {
  const change = useChangePassword();
  const form = useForm({
    initialValues: { currentPassword: "", newPassword: "", confirmPassword: "" },
    validate: schemaValidate(confirmed(changePasswordBody, "newPassword", "confirmPassword")),
  });

  const submit = form.onSubmit((v) =>
    change.mutate(
      { currentPassword: v.currentPassword, newPassword: v.newPassword },
      {
        onSuccess: () => {
          form.reset();
          notifySuccess("Password changed; your other sessions were signed out");
        },
        onError: (err) => notifyError(err, form),
      },
    ),
  );

  return (
    <form onSubmit={submit} noValidate>
      <Stack maw={480}>
        <PasswordField
          label="Current password"
          autoComplete="current-password"
          {...form.getInputProps("currentPassword")}
        />
        <PasswordField label="New password" autoComplete="new-password" {...form.getInputProps("newPassword")} />
        <PasswordField
          label="Confirm new password"
          autoComplete="new-password"
          {...form.getInputProps("confirmPassword")}
        />
        <Group>
          <Button type="submit" loading={change.isPending}>
            Change password
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

"use client";

import { Stack, Text } from "@mantine/core";
import { PasswordField } from "@/components/ui/password-field";
import { useForm } from "@mantine/form";
import { IconKey } from "@tabler/icons-react";
import { FormActions, ModalButton } from "@/components/ui/modal-button";
import { notifyError, notifySuccess } from "@/components/ui/notify";
import { confirmed, schemaValidate } from "@/components/ui/schema-validate";
import { resetPasswordBody } from "@/lib/users/user-schemas";
import type { UserDto } from "./api";
import { useResetPassword } from "./queries";

export function ResetPasswordButton({ user }: { user: UserDto }) {
  return (
    <ModalButton
      label="Reset password"
      icon={<IconKey size={16} aria-hidden />}
      variant="default"
      title={`Reset password of ${user.username}`}
    >
      {(close) => <ResetPasswordForm user={user} onDone={close} />}
    </ModalButton>
  );
}

function ResetPasswordForm({ user, onDone }: { user: UserDto; onDone: () => void }) {
  const reset = useResetPassword();
  const form = useForm({
    initialValues: { password: "", confirm: "" },
    validate: schemaValidate(confirmed(resetPasswordBody, "password", "confirm")),
  });
  const submit = form.onSubmit((v) =>
    reset.mutate(
      { id: user.id, password: v.password },
      {
        onSuccess: () => {
          notifySuccess(`Password of ${user.username} reset`);
          onDone();
        },
        onError: (err) => notifyError(err, form),
      },
    ),
  );
  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <Text size="sm">{user.username}&apos;s sessions will be ended; they sign in with the new password.</Text>
        <PasswordField
          label="New password"
          autoComplete="new-password"
          data-autofocus
          {...form.getInputProps("password")}
        />
        <PasswordField label="Confirm new password" autoComplete="new-password" {...form.getInputProps("confirm")} />
        <FormActions submitLabel="Set password" pending={reset.isPending} onCancel={onDone} />
      </Stack>
    </form>
  );
}

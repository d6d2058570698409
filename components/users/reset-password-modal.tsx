"use client";

import { Button, Group, Modal, Stack, Text } from "@mantine/core";
import { PasswordField } from "@/components/ui/password-field";
import { useForm } from "@mantine/form";
import { useDisclosure } from "@mantine/hooks";
import { IconKey } from "@tabler/icons-react";
import { notifyError, notifySuccess } from "@/components/ui/notify";
import type { UserDto } from "./api";
import { useResetPassword } from "./queries";

export function ResetPasswordButton({ user }: { user: UserDto }) {
  const [opened, { open, close }] = useDisclosure(false);
  return (
    <>
      <Button variant="default" leftSection={<IconKey size={16} aria-hidden />} onClick={open}>
        Reset password
      </Button>
      <Modal opened={opened} onClose={close} title={`Reset password of ${user.username}`}>
        <ResetPasswordForm user={user} onDone={close} />
      </Modal>
    </>
  );
}

function ResetPasswordForm({ user, onDone }: { user: UserDto; onDone: () => void }) {
  const reset = useResetPassword();
  const form = useForm({
    initialValues: { password: "", confirm: "" },
    validate: {
      password: (v) => (v.length >= 8 ? null : "must be at least 8 characters"),
      confirm: (v, values) => (v === values.password ? null : "passwords do not match"),
    },
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
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            Cancel
          </Button>
          <Button type="submit" loading={reset.isPending}>
            Set password
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

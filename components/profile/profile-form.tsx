"use client";

import { useRouter } from "next/navigation";
import { Button, Group, Stack, TextInput } from "@mantine/core";
import { useForm } from "@mantine/form";
import { useSession } from "@/components/auth/session-context";
import { notifyError, notifySuccess } from "@/components/ui/notify";
import { schemaValidate } from "@/components/ui/schema-validate";
import { profileFields } from "@/lib/users/user-schemas";
import { useUpdateProfile } from "./queries";

export function ProfileForm() {
  const router = useRouter();
  const { user } = useSession();
  const update = useUpdateProfile();
  const form = useForm({
    initialValues: { displayName: user.displayName, email: user.email },
    validate: schemaValidate(profileFields),
  });

  const submit = form.onSubmit((v) =>
    update.mutate(
      { displayName: v.displayName, email: v.email.trim() },
      {
        onSuccess: (me) => {
          form.resetDirty({ displayName: me.displayName, email: me.email });
          notifySuccess("Profile saved");
          // The console layout read the user on the server; let it read them again.
          router.refresh();
        },
        onError: (err) => notifyError(err, form),
      },
    ),
  );

  return (
    <form onSubmit={submit} noValidate>
      <Stack maw={480}>
        <TextInput label="Display name" {...form.getInputProps("displayName")} />
        <TextInput label="E-mail" type="email" {...form.getInputProps("email")} />
        <Group>
          <Button type="submit" loading={update.isPending} disabled={!form.isDirty()}>
            Save profile
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

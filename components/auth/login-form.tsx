"use client";

import { useState } from "react";
import { Alert, Button, Paper, Stack, TextInput, Title } from "@mantine/core";
import { PasswordField } from "@/components/ui/password-field";
import { useForm } from "@mantine/form";
import { ApiError } from "@/components/api/client";
import { schemaValidate } from "@/components/ui/schema-validate";
import { signInBody } from "@/lib/users/user-schemas";
import { signIn } from "./api";

/** Only same-site paths: `?next=//evil.example` must not send anyone elsewhere. */
function safeNext(next: string | undefined): string {
  return next && next.startsWith("/") && !next.startsWith("//") && !next.startsWith("/\\") ? next : "/";
}

export function LoginForm({ next }: { next?: string }) {
  const [error, setError] = useState<string | null>(null);
  const form = useForm({
    initialValues: { username: "", password: "" },
    validate: schemaValidate(signInBody),
  });

  const submit = form.onSubmit(async (values) => {
    setError(null);
    try {
      await signIn(values);
      // A full navigation, so the console layout reads the new session cookie.
      window.location.assign(safeNext(next));
    } catch (err) {
      if (err instanceof ApiError && err.status !== 401) form.setErrors(err.fieldErrors());
      setError(err instanceof Error ? err.message : String(err));
    }
  });

  return (
    <Paper withBorder shadow="sm" p="xl" radius="md" w={380} maw="100%">
      <form onSubmit={submit} noValidate>
        <Stack>
          <Title order={1} size="h2">
            Sign in to Bazaar
          </Title>
          {error ? (
            <Alert color="red" role="alert" title="Sign-in failed">
              {error}
            </Alert>
          ) : null}
          <TextInput label="Username" autoComplete="username" autoFocus {...form.getInputProps("username")} />
          <PasswordField label="Password" autoComplete="current-password" {...form.getInputProps("password")} />
          <Button type="submit" loading={form.submitting}>
            Sign in
          </Button>
        </Stack>
      </form>
    </Paper>
  );
}

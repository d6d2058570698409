"use client";

import { useState } from "react";
import { Alert, Code, Modal, NumberInput, Stack, TextInput } from "@mantine/core";
import { useForm } from "@mantine/form";
import { IconPlus } from "@tabler/icons-react";
import { FormActions, ModalButton } from "@/components/ui/modal-button";
import { notifyError, notifySuccess } from "@/components/ui/notify";
import { schemaValidate } from "@/components/ui/schema-validate";
import { createTokenBody } from "@/lib/tokens/token-schemas";
import { SecretActions } from "@/components/ui/token-pieces";
import type { CreatedTokenDto } from "./api";
import { useCreateToken } from "./queries";

export function CreateTokenButton() {
  const [created, setCreated] = useState<CreatedTokenDto | null>(null);
  return (
    <>
      <ModalButton label="Create token" icon={<IconPlus size={16} aria-hidden />} title="Create token">
        {(close) => (
          <CreateTokenForm
            onCancel={close}
            onCreated={(token) => {
              close();
              setCreated(token);
            }}
          />
        )}
      </ModalButton>
      <Modal
        opened={created !== null}
        onClose={() => setCreated(null)}
        title={`Token ${created?.name ?? ""} created`}
        size="lg"
      >
        {created ? <TokenSecret token={created.token} onDone={() => setCreated(null)} /> : null}
      </Modal>
    </>
  );
}

function CreateTokenForm({ onCancel, onCreated }: { onCancel: () => void; onCreated: (t: CreatedTokenDto) => void }) {
  const create = useCreateToken();
  const form = useForm({
    initialValues: { name: "", expiresInDays: 30 as number | string },
    validate: schemaValidate(createTokenBody),
  });
  const submit = form.onSubmit((v) =>
    create.mutate(
      { name: v.name.trim(), expiresInDays: Number(v.expiresInDays) },
      {
        onSuccess: (token) => {
          notifySuccess(`Token ${token.name} created`);
          form.reset();
          onCreated(token);
        },
        onError: (err) => notifyError(err, form),
      },
    ),
  );
  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <TextInput
          label="Name"
          data-autofocus
          description="What uses it, e.g. “ci-pipeline”"
          {...form.getInputProps("name")}
        />
        <NumberInput
          label="Expires in (days)"
          min={1}
          max={365}
          allowDecimal={false}
          {...form.getInputProps("expiresInDays")}
        />
        <FormActions submitLabel="Create" pending={create.isPending} onCancel={onCancel} />
      </Stack>
    </form>
  );
}

function TokenSecret({ token, onDone }: { token: string; onDone: () => void }) {
  return (
    <Stack>
      <Alert color="yellow" title="Copy it now">
        This token will not be shown again. Store it somewhere safe; send it as <Code>Authorization: Bearer …</Code>.
      </Alert>
      <Code
        block
        data-testid="token-secret"
        aria-label="Token secret"
        style={{ wordBreak: "break-all", whiteSpace: "pre-wrap" }}
      >
        {token}
      </Code>
      <SecretActions secret={token} onDone={onDone} />
    </Stack>
  );
}

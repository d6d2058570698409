"use client";

import { Stack } from "@mantine/core";
import { useForm } from "@mantine/form";
import { IconPlus } from "@tabler/icons-react";
import { FormActions, ModalButton } from "@/components/ui/modal-button";
import { notifyError, notifySuccess } from "@/components/ui/notify";
import { schemaValidate } from "@/components/ui/schema-validate";
import { createZoneBody } from "@/lib/zones/zone-schemas";
import { useCreateZone } from "./queries";
import { ZoneFields, type ZoneFormValues } from "./zone-fields";

export function RegisterZoneButton() {
  return (
    <ModalButton label="Register zone" icon={<IconPlus size={16} aria-hidden />} title="Register zone">
      {(close) => <RegisterZoneForm onDone={close} />}
    </ModalButton>
  );
}

function RegisterZoneForm({ onDone }: { onDone: () => void }) {
  const create = useCreateZone();
  const form = useForm<ZoneFormValues>({
    initialValues: { name: "", endpoint: "", description: "" },
    validate: schemaValidate(createZoneBody),
  });
  const submit = form.onSubmit((v) =>
    create.mutate(
      { ...v, endpoint: v.endpoint.trim() },
      {
        onSuccess: (zone) => {
          const answers = zone.health.status === "down" ? `; it does not answer yet (${zone.health.detail})` : "";
          notifySuccess(`Zone ${zone.name} registered${answers}`);
          onDone();
        },
        onError: (err) => notifyError(err, form),
      },
    ),
  );
  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <ZoneFields form={form} />
        <FormActions submitLabel="Register" pending={create.isPending} onCancel={onDone} />
      </Stack>
    </form>
  );
}

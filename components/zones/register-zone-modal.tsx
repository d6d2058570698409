"use client";

import { Button, Group, Modal, Stack } from "@mantine/core";
import { useForm } from "@mantine/form";
import { useDisclosure } from "@mantine/hooks";
import { IconPlus } from "@tabler/icons-react";
import { notifyError, notifySuccess } from "@/components/ui/notify";
import { useCreateZone } from "./queries";
import { ZoneFields, type ZoneFormValues } from "./zone-fields";

export function RegisterZoneButton() {
  const [opened, { open, close }] = useDisclosure(false);
  return (
    <>
      <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={open}>
        Register zone
      </Button>
      <Modal opened={opened} onClose={close} title="Register zone">
        <RegisterZoneForm onDone={close} />
      </Modal>
    </>
  );
}

function RegisterZoneForm({ onDone }: { onDone: () => void }) {
  const create = useCreateZone();
  const form = useForm<ZoneFormValues>({
    initialValues: { name: "", endpoint: "", description: "" },
    validate: { name: (v) => (v.trim() ? null : "is required") },
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
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            Cancel
          </Button>
          <Button type="submit" loading={create.isPending}>
            Register
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

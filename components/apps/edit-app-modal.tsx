"use client";

import { Button, Group, Modal, Stack } from "@mantine/core";
import { useForm } from "@mantine/form";
import { useDisclosure } from "@mantine/hooks";
import { IconEdit } from "@tabler/icons-react";
import { notifyError, notifySuccess } from "@/components/ui/notify";
import type { AppDto, UpdateAppInput } from "./api";
import { AppMetadataFields } from "./app-fields";
import { appFormValidate, appFormValues, appMetadataBody, type AppFormValues } from "./app-form";
import { useUpdateApp } from "./queries";

export function EditAppButton({ app, disabled }: { app: AppDto; disabled?: boolean }) {
  const [opened, { open, close }] = useDisclosure(false);
  return (
    <>
      <Button variant="default" leftSection={<IconEdit size={16} aria-hidden />} onClick={open} disabled={disabled}>
        Edit
      </Button>
      <Modal opened={opened} onClose={close} title={`Edit app ${app.name}`} size="lg">
        <EditAppForm app={app} onDone={close} />
      </Modal>
    </>
  );
}

/** Only what changed is sent; source, size, checksums and format never change. */
function EditAppForm({ app, onDone }: { app: AppDto; onDone: () => void }) {
  const update = useUpdateApp();
  const form = useForm<AppFormValues>({
    initialValues: appFormValues({
      name: app.name,
      version: app.version,
      description: app.description,
      tags: app.tags,
      hypervisor: app.hypervisor,
      architecture: app.architecture,
      vmTemplate: app.vmTemplate,
    }),
    validate: appFormValidate,
  });

  const submit = form.onSubmit((v) => {
    const patch = Object.fromEntries(
      Object.entries(appMetadataBody(v)).filter(
        ([key, value]) => JSON.stringify(value) !== JSON.stringify(app[key as keyof AppDto]),
      ),
    ) as UpdateAppInput;
    if (Object.keys(patch).length === 0) return onDone();
    update.mutate(
      { id: app.id, patch },
      {
        onSuccess: (saved) => {
          notifySuccess(`App ${saved.name} saved`);
          onDone();
        },
        onError: (err) => notifyError(err, form),
      },
    );
  });

  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        {/* a composite app's VM template names its child apps: it is not edited by hand */}
        <AppMetadataFields form={form} withVmTemplate={app.type === "IMAGE"} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            Cancel
          </Button>
          <Button type="submit" loading={update.isPending}>
            Save
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

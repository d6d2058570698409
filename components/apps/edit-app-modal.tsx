"use client";

import { useForm } from "@mantine/form";
import { changedFields, EditButton, EditForm } from "@/components/ui/edit-modal";
import type { AppDto, UpdateAppInput } from "./api";
import { AppMetadataFields } from "./app-fields";
import {
  appFormValidate,
  appFormValidateNoTemplate,
  appFormValues,
  appMetadataBody,
  type AppFormValues,
} from "./app-form";
import { useUpdateApp } from "./queries";

export function EditAppButton({ app, disabled }: { app: AppDto; disabled?: boolean }) {
  return (
    <EditButton kind="app" name={app.name} disabled={disabled}>
      {(close) => <EditAppForm app={app} onDone={close} />}
    </EditButton>
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
    // a hidden field's error could not be seen: validate only what the form shows
    validate: app.type === "IMAGE" ? appFormValidate : appFormValidateNoTemplate,
  });
  return (
    <EditForm
      form={form}
      kind="App"
      patchOf={(v): UpdateAppInput => changedFields(appMetadataBody(v), app)}
      save={(patch) => update.mutateAsync({ id: app.id, patch })}
      pending={update.isPending}
      onDone={onDone}
    >
      {/* a composite app's VM template names its child apps: it is not edited by hand */}
      <AppMetadataFields form={form} withVmTemplate={app.type === "IMAGE"} />
    </EditForm>
  );
}

"use client";

import { useMemo } from "react";
import { useRouter } from "next/navigation";
import { Button, Modal, NativeSelect, Stack, Switch, Text, TextInput, Tooltip } from "@mantine/core";
import { useForm } from "@mantine/form";
import { useDebouncedValue, useDisclosure } from "@mantine/hooks";
import { IconDownload } from "@tabler/icons-react";
import { ApiError } from "@/components/api/client";
import { useSession } from "@/components/auth/session-context";
import type { DatastoreDto } from "@/components/datastores/api";
import { ALL_DATASTORES, useDatastores } from "@/components/datastores/queries";
import { TYPES_BY_DATASTORE } from "@/components/images/image-state";
import { refName } from "@/components/permissions/object-ref";
import { formatBytes } from "@/components/transfer/format";
import { FormActions } from "@/components/ui/modal-button";
import { notifyError, notifySuccess } from "@/components/ui/notify";
import { schemaValidate, selected } from "@/components/ui/schema-validate";
import { importAppBody } from "@/lib/apps/app-schemas";
import type { AppDto, ImportAppInput, ImportAppResult } from "./api";
import { ImportPreview } from "./import-preview";
import { useImportApp, useImportPreview } from "./queries";

/**
 * The enabled datastores of this zone the user may import `app` into: those that take its kind
 * of image (a kernel goes to a FILE datastore). Undefined while they load.
 */
function useImportTargets(app: AppDto): DatastoreDto[] | undefined {
  const all = useDatastores(ALL_DATASTORES).data?.items;
  const type = neededType(app);
  const knownType = Object.values(TYPES_BY_DATASTORE).some((types) => types.includes(type));
  return all?.filter((d) => d.enabled && (!knownType || TYPES_BY_DATASTORE[d.type].includes(type)));
}

export function ImportAppButton({ app, size = "sm" }: { app: AppDto; size?: "xs" | "sm" }) {
  const [opened, { open, close }] = useDisclosure(false);
  const { zone } = useSession();
  const targets = useImportTargets(app);
  // nowhere to import into: said on the button, not after the modal opens
  const nowhere = targets !== undefined && targets.length === 0;
  const button = (
    <Button
      size={size}
      variant={size === "xs" ? "light" : "filled"}
      leftSection={<IconDownload size={size === "xs" ? 14 : 16} aria-hidden />}
      onClick={nowhere ? (e) => e.preventDefault() : open}
      data-disabled={nowhere || undefined}
      aria-disabled={nowhere || undefined}
      aria-label={size === "xs" ? `Import ${app.name}` : undefined}
      aria-description={nowhere ? noTargetText(zone.name) : undefined}
    >
      Import
    </Button>
  );
  return (
    <>
      {nowhere ? (
        <Tooltip label={noTargetText(zone.name)} multiline w={300} withArrow>
          {button}
        </Tooltip>
      ) : (
        button
      )}
      <Modal opened={opened} onClose={close} title={`Import app ${app.name}`} size="lg">
        <ImportAppForm app={app} onDone={close} />
      </Modal>
    </>
  );
}

const noTargetText = (zone: string) =>
  `No enabled datastore of zone ${zone} that takes this app is yours to use. Ask an administrator to add your group to a VDC with a datastore.`;

const FORMAT_TEXT: Record<DatastoreDto["requiredFormat"], string> = {
  any: "any format",
  qcow2: "qcow2 only",
  raw: "raw only",
};

/** The format an image app's bytes are converted to on the way into a datastore, if any. */
function conversionTo(app: AppDto, ds: DatastoreDto) {
  return ds.requiredFormat !== "any" && app.format && ds.requiredFormat !== app.format ? ds.requiredFormat : null;
}

/** The image type a datastore must take: an image app's own, a composite's disks (OS, DATABLOCK…). */
const neededType = (app: AppDto) => (app.type === "IMAGE" ? app.imageTemplate.type : "OS");

/** What the user still has to choose before the server can be asked for a plan. */
const idleText = (datastoreId: string, name: string) =>
  !datastoreId ? "Choose a datastore to see what the import creates." : !name.trim() ? "Give a name." : null;

/** Images go to their page; a composite's parts appear over time, so its job is followed on the Jobs page. */
function afterImport(app: AppDto, result: ImportAppResult) {
  const first = result.created[0];
  if (app.type === "IMAGE" && first)
    return { href: `/images/${first.id}`, message: `Importing ${app.name} as image ${first.name}` };
  const parts = [
    `${result.images.length} image${result.images.length === 1 ? "" : "s"}`,
    result.vmTemplates.length ? `${result.vmTemplates.length} VM template(s)` : "",
    result.serviceTemplate ? `service template ${result.serviceTemplate.name}` : "",
  ].filter(Boolean);
  return {
    href: "/jobs?show=active",
    message: `Importing ${app.name} (job #${result.jobId}): ${parts.join(", ")}`,
  };
}

/**
 * Pick a datastore of this zone and a name; the server's plan of what will be created is shown
 * as the choices change, and one job streams the bytes of every image.
 */
function ImportAppForm({ app, onDone }: { app: AppDto; onDone: () => void }) {
  const router = useRouter();
  const { zone } = useSession();
  const importApp = useImportApp();
  const composite = app.type !== "IMAGE";
  const carriesTemplate = app.type === "IMAGE" && app.vmTemplate.trim() !== "";
  const datastores = useImportTargets(app) ?? [];
  const form = useForm({
    initialValues: { datastoreId: "", name: app.name, createVmTemplate: true },
    validate: schemaValidate(importAppBody.extend({ datastoreId: selected(importAppBody.shape.datastoreId) })),
  });
  const { datastoreId, name, createVmTemplate } = form.values;
  const input = useMemo<ImportAppInput>(
    () => ({
      datastoreId: Number(datastoreId),
      name: name.trim(),
      ...(carriesTemplate ? { createVmTemplate } : {}),
    }),
    [datastoreId, name, createVmTemplate, carriesTemplate],
  );
  const [asked] = useDebouncedValue(input, 400);
  const idle = idleText(datastoreId, name);
  const preview = useImportPreview(app.id, asked, asked.datastoreId > 0 && asked.name !== "");
  // a refusal only counts for the choices on screen, not for ones the user has since changed
  const current = asked === input && !idle;
  const refusal = current && preview.isError ? preview.error : null;
  const refused = refusal instanceof ApiError ? refusal.fieldErrors() : {};
  const chosen = datastores.find((d) => String(d.id) === datastoreId);
  const convertTo = chosen && app.type === "IMAGE" ? conversionTo(app, chosen) : null;

  const submit = form.onSubmit((v) =>
    importApp.mutate(
      { id: app.id, input: { ...input, name: v.name.trim() } },
      {
        onSuccess: (result) => {
          const next = afterImport(app, result);
          notifySuccess(next.message);
          onDone();
          router.push(next.href);
        },
        onError: (err) => notifyError(err, form),
      },
    ),
  );

  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <Text size="sm">
          From marketplace {refName(app.marketplace)} ({app.zone.name}) into a datastore of zone {zone.name}. The bytes
          are checked against the app&apos;s checksums on the way.
        </Text>
        <NativeSelect
          label="Datastore"
          data={[
            {
              value: "",
              label: datastores.length ? "Choose a datastore" : "No enabled datastore you may use takes this image",
              disabled: true,
            },
            ...datastores.map((d) => ({
              value: String(d.id),
              label: `${d.name} (${FORMAT_TEXT[d.requiredFormat]}, ${d.capacity.error ? "free space unknown" : `${formatBytes(d.capacity.freeBytes)} free`})`,
            })),
          ]}
          {...form.getInputProps("datastoreId")}
          error={form.errors.datastoreId ?? refused.datastoreId}
        />
        <TextInput
          label={composite ? "Name" : "Image name"}
          description={composite ? "base of every name created" : undefined}
          autoComplete="off"
          {...form.getInputProps("name")}
          error={form.errors.name ?? refused.name}
        />
        {carriesTemplate ? (
          <Switch
            label="Create the VM template it carries"
            description="A VM template using the new image, made from the app's template text"
            {...form.getInputProps("createVmTemplate", { type: "checkbox" })}
          />
        ) : null}
        {convertTo && chosen ? (
          <Text size="sm">
            The bytes are converted from {app.format} to {convertTo} on the way: datastore {chosen.name} takes{" "}
            {FORMAT_TEXT[chosen.requiredFormat]}.
          </Text>
        ) : null}
        <ImportPreview
          plan={preview.data}
          error={refusal}
          loading={!idle && (preview.isFetching || !current)}
          idle={idle}
        />
        <FormActions submitLabel="Import" pending={importApp.isPending} disabled={!!refusal} onCancel={onDone} />
      </Stack>
    </form>
  );
}

"use client";

import { useRouter } from "next/navigation";
import { Alert, Button, Group, Modal, NativeSelect, Stack, Text, TextInput } from "@mantine/core";
import { useForm } from "@mantine/form";
import { useDisclosure } from "@mantine/hooks";
import { IconDownload } from "@tabler/icons-react";
import { useSession } from "@/components/auth/session-context";
import type { DatastoreDto } from "@/components/datastores/api";
import { useAllDatastores } from "@/components/datastores/queries";
import { TYPES_BY_DATASTORE } from "@/components/images/image-state";
import { formatBytes } from "@/components/transfer/format";
import { notifyError, notifySuccess } from "@/components/ui/notify";
import type { AppDto } from "./api";
import { useImportApp } from "./queries";

export function ImportAppButton({ app, size = "sm" }: { app: AppDto; size?: "xs" | "sm" }) {
  const [opened, { open, close }] = useDisclosure(false);
  return (
    <>
      <Button
        size={size}
        variant={size === "xs" ? "light" : "filled"}
        leftSection={<IconDownload size={size === "xs" ? 14 : 16} aria-hidden />}
        onClick={open}
        aria-label={size === "xs" ? `Import ${app.name}` : undefined}
      >
        Import
      </Button>
      <Modal opened={opened} onClose={close} title={`Import app ${app.name}`} size="lg">
        <ImportAppForm app={app} onDone={close} />
      </Modal>
    </>
  );
}

const FORMAT_TEXT: Record<DatastoreDto["requiredFormat"], string> = {
  any: "any format",
  qcow2: "qcow2 only",
  raw: "raw only",
};

/** What the import will make in a datastore: the format after conversion and the bytes it takes. */
function importPlan(app: AppDto, ds: DatastoreDto) {
  const convertTo =
    ds.requiredFormat !== "any" && app.format && ds.requiredFormat !== app.format ? ds.requiredFormat : null;
  // a raw image takes its whole virtual size
  const bytes = convertTo === "raw" && app.virtualSizeBytes ? app.virtualSizeBytes : app.sizeBytes;
  return { convertTo, bytes, fits: ds.capacity.error !== null || bytes <= ds.capacity.freeBytes };
}

/** Pick a datastore of this zone and a name; a job streams the app's bytes into a new image. */
function ImportAppForm({ app, onDone }: { app: AppDto; onDone: () => void }) {
  const router = useRouter();
  const { zone } = useSession();
  const importApp = useImportApp();
  const imageType = app.imageTemplate.type;
  // the datastores that take this kind of image (a kernel goes to a FILE datastore)
  const knownType = Object.values(TYPES_BY_DATASTORE).some((types) => types.includes(imageType));
  const datastores = useAllDatastores().filter(
    (d) => d.enabled && (!knownType || TYPES_BY_DATASTORE[d.type].includes(imageType)),
  );
  const form = useForm({
    initialValues: { datastoreId: "", name: app.name },
    validate: {
      datastoreId: (v) => (v ? null : "choose a datastore"),
      name: (v) => (v.trim() ? null : "is required"),
    },
  });
  const chosen = datastores.find((d) => String(d.id) === form.values.datastoreId);
  const plan = chosen ? importPlan(app, chosen) : null;

  const submit = form.onSubmit((v) =>
    importApp.mutate(
      { id: app.id, input: { datastoreId: Number(v.datastoreId), name: v.name.trim() } },
      {
        onSuccess: (image) => {
          notifySuccess(`Importing ${app.name} as image ${image.name}`);
          onDone();
          router.push(`/images/${image.id}`);
        },
        onError: (err) => notifyError(err, form),
      },
    ),
  );

  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <Text size="sm">
          From marketplace {app.marketplace.name} ({app.zone.name}) into a datastore of zone {zone.name}. The bytes are
          checked against the app&apos;s checksums on the way.
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
        />
        <TextInput label="Image name" autoComplete="off" {...form.getInputProps("name")} />
        {chosen && plan ? (
          <Alert color={plan.fits ? "blue" : "yellow"} title="Preview" role="status">
            Will create image <b>{form.values.name.trim() || "—"}</b> ({imageType}) in datastore {chosen.name}
            {plan.convertTo ? ` (converted from ${app.format} to ${plan.convertTo})` : ""} — {formatBytes(plan.bytes)}.
            {plan.fits ? null : ` The datastore has only ${formatBytes(chosen.capacity.freeBytes)} free.`}
          </Alert>
        ) : null}
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            Cancel
          </Button>
          <Button type="submit" loading={importApp.isPending}>
            Import
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

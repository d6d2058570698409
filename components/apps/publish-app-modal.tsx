"use client";

import { useRouter } from "next/navigation";
import { Alert, Button, Modal, NativeSelect, Stack, Group, Tooltip } from "@mantine/core";
import { useForm } from "@mantine/form";
import { useDisclosure } from "@mantine/hooks";
import { IconBuildingStore } from "@tabler/icons-react";
import { useSession } from "@/components/auth/session-context";
import type { ImageDto } from "@/components/images/api";
import { useAllMarketplaces } from "@/components/markets/queries";
import { formatBytes } from "@/components/transfer/format";
import { notifyError, notifySuccess } from "@/components/ui/notify";
import { AppMetadataFields, appFormValidate, appFormValues, appMetadataBody, type AppFormValues } from "./app-fields";
import { usePublishApp } from "./queries";

/** Everyone with the MARKETPLACE_APP create right (admins always) may publish. */
function useCanPublish(): boolean {
  const { isAdmin, createRights } = useSession().user;
  return isAdmin || createRights.includes("MARKETPLACE_APP");
}

/** "Publish to marketplace" on an image's page: a READY (or USED) image's bytes become an app. */
export function PublishAppButton({ image }: { image: ImageDto }) {
  const [opened, { open, close }] = useDisclosure(false);
  const canPublish = useCanPublish();
  if (!canPublish) return null;
  const resting = image.state === "READY" || image.state === "USED";
  const button = (
    <Button
      variant="default"
      leftSection={<IconBuildingStore size={16} aria-hidden />}
      onClick={open}
      disabled={!resting}
    >
      Publish to marketplace
    </Button>
  );
  return (
    <>
      {resting ? (
        button
      ) : (
        <Tooltip label="Only a ready image can be published">
          <span>{button}</span>
        </Tooltip>
      )}
      <Modal opened={opened} onClose={close} title={`Publish image ${image.name}`} size="lg">
        <PublishAppForm image={image} onDone={close} />
      </Modal>
    </>
  );
}

function PublishAppForm({ image, onDone }: { image: ImageDto; onDone: () => void }) {
  const router = useRouter();
  const publish = usePublishApp();
  // marketplaces of this zone whose driver can take uploads
  const marketplaces = useAllMarketplaces().filter((m) => m.enabled && m.local && m.capabilities.create);
  const form = useForm<AppFormValues>({
    initialValues: appFormValues({ name: image.name, description: image.description }),
    validate: { ...appFormValidate, marketplaceId: (v) => (v ? null : "choose a marketplace") },
  });
  const chosen = marketplaces.find((m) => String(m.id) === form.values.marketplaceId);

  const submit = form.onSubmit((v) =>
    publish.mutate(
      { marketplaceId: Number(v.marketplaceId), imageId: image.id, ...appMetadataBody(v) },
      {
        onSuccess: (app) => {
          notifySuccess(`Publishing ${image.name} to ${app.marketplace.name} as ${app.name}`);
          onDone();
          router.push(`/apps/${app.id}`);
        },
        onError: (err) => notifyError(err, form),
      },
    ),
  );

  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <NativeSelect
          label="Marketplace"
          data={[
            {
              value: "",
              label: marketplaces.length ? "Choose a marketplace" : "No enabled marketplace of this zone takes uploads",
              disabled: true,
            },
            ...marketplaces.map((m) => ({
              value: String(m.id),
              label: m.capacity
                ? `${m.name} (${m.driverLabel}, ${formatBytes(m.capacity.freeBytes)} free)`
                : `${m.name} (${m.driverLabel})`,
            })),
          ]}
          {...form.getInputProps("marketplaceId")}
        />
        <AppMetadataFields form={form} />
        {chosen ? (
          <Alert color="blue" title="Preview" role="status">
            Will publish image {image.name} ({image.format || "unknown format"}, {formatBytes(image.sizeBytes)}) as app{" "}
            <b>{form.values.name.trim() || "—"}</b> version {form.values.version.trim() || "—"} in marketplace{" "}
            {chosen.name}. The image stays in use until its bytes are copied.
          </Alert>
        ) : null}
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            Cancel
          </Button>
          <Button type="submit" loading={publish.isPending}>
            Publish
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

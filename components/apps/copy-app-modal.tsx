"use client";

import { useRouter } from "next/navigation";
import { Select, Stack, Text, TextInput } from "@mantine/core";
import { useForm } from "@mantine/form";
import { IconCopy } from "@tabler/icons-react";
import { useSession } from "@/components/auth/session-context";
import { useAllMarketplaces } from "@/components/markets/queries";
import { refName } from "@/components/permissions/object-ref";
import { formatBytes } from "@/components/transfer/format";
import { FormActions, ModalButton } from "@/components/ui/modal-button";
import { notifyError, notifySuccess } from "@/components/ui/notify";
import { schemaValidate, selected } from "@/components/ui/schema-validate";
import { copyAppBody } from "@/lib/apps/app-schemas";
import type { AppDto } from "./api";
import { lockRefusal, partsText } from "./app-state";
import { useCopyApp } from "./queries";

/**
 * Only a READY app the user may use is copied; the copies are new apps, which takes the create
 * right for apps (admins always have it).
 */
function useCanCopy(app: AppDto): boolean {
  const { isAdmin, createRights } = useSession().user;
  return app.state === "READY" && !lockRefusal(app, "USE") && (isAdmin || createRights.includes("MARKETPLACE_APP"));
}

/**
 * "Copy to marketplace" on an app's page (the mirror): the app of any marketplace, with its
 * child apps, into a private marketplace of this zone.
 */
export function CopyAppButton({ app }: { app: AppDto }) {
  if (!useCanCopy(app)) return null;
  return (
    <ModalButton
      label="Copy to marketplace"
      icon={<IconCopy size={16} aria-hidden />}
      variant="default"
      title={`Copy app ${app.name} to a marketplace`}
      size="lg"
    >
      {(close) => <CopyAppForm app={app} onDone={close} />}
    </ModalButton>
  );
}

/** Pick a private marketplace of this zone and a name; one job copies and verifies every byte. */
function CopyAppForm({ app, onDone }: { app: AppDto; onDone: () => void }) {
  const router = useRouter();
  const { zone } = useSession();
  const copy = useCopyApp();
  // marketplaces of this zone that take new apps, other than the app's own
  const marketplaces = useAllMarketplaces().filter(
    (m) => m.enabled && m.local && m.capabilities.create && m.id !== app.marketplace.id,
  );
  const form = useForm({
    initialValues: { marketplaceId: "", name: app.name },
    validate: schemaValidate(copyAppBody.extend({ marketplaceId: selected(copyAppBody.shape.marketplaceId) })),
  });

  const submit = form.onSubmit((v) =>
    copy.mutate(
      { id: app.id, input: { marketplaceId: Number(v.marketplaceId), name: v.name.trim() } },
      {
        onSuccess: (result) => {
          notifySuccess(
            `Copying ${app.name} to ${refName(result.app.marketplace)} as ${result.app.name} (job #${result.jobId})`,
          );
          onDone();
          // the copy's page follows its job's progress
          router.push(`/apps/${result.app.id}`);
        },
        onError: (err) => notifyError(err, form),
      },
    ),
  );

  const parts = app.type === "IMAGE" ? "" : partsText(app.childCount);
  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <Text size="sm">
          From marketplace {refName(app.marketplace)} ({app.zone.name}) into a private marketplace of zone {zone.name}
          {parts ? `, with its ${parts} (they keep their names)` : ""}. The copies are yours; every image&apos;s bytes
          are checked against the app&apos;s checksums on the way, and nothing is kept if one does not match.
        </Text>
        <Select
          label="Marketplace"
          placeholder={marketplaces.length ? "Choose a marketplace" : "No enabled marketplace of this zone takes apps"}
          data={marketplaces.map((m) => ({
            value: String(m.id),
            label: m.capacity
              ? `${m.name} (${m.driverLabel}, ${formatBytes(m.capacity.freeBytes)} free)`
              : `${m.name} (${m.driverLabel})`,
          }))}
          allowDeselect={false}
          {...form.getInputProps("marketplaceId")}
        />
        <TextInput label="Name" autoComplete="off" {...form.getInputProps("name")} />
        <FormActions submitLabel="Copy" pending={copy.isPending} onCancel={onDone} />
      </Stack>
    </form>
  );
}

"use client";

import { useRouter } from "next/navigation";
import { Alert, Button, Modal, NativeSelect, Skeleton, Stack, Tooltip } from "@mantine/core";
import { useForm } from "@mantine/form";
import { useDisclosure } from "@mantine/hooks";
import { IconBuildingStore } from "@tabler/icons-react";
import { useSession } from "@/components/auth/session-context";
import { useAllMarketplaces } from "@/components/markets/queries";
import { refName } from "@/components/permissions/object-ref";
import { formatBytes } from "@/components/transfer/format";
import { FormActions } from "@/components/ui/modal-button";
import { notifyError, notifySuccess } from "@/components/ui/notify";
import { AppMetadataFields } from "./app-fields";
import {
  countsText,
  initialPublishValues,
  publishBody,
  publishCounts,
  publishErrors,
  SOURCE_LABELS,
  withoutChosenApps,
  type PublishFormValues,
  type PublishPlan,
  type PublishSource,
} from "./publish-body";
import { ServiceTemplateChoices, VmTemplateChoices } from "./publish-choices";
import { usePublishPlan } from "./publish-source";
import { usePublishApp } from "./queries";

export type { PublishSource };

/** Everyone with the MARKETPLACE_APP create right (admins always) may publish. */
function useCanPublish(): boolean {
  const { isAdmin, createRights } = useSession().user;
  return isAdmin || createRights.includes("MARKETPLACE_APP");
}

interface PublishToMarketButtonProps {
  source: PublishSource;
  /** the app name the dialog starts with (the source's name otherwise) */
  defaultName?: string;
  /** set when the source cannot be published now (e.g. an image still uploading): disabled, says why */
  disabledReason?: string;
}

/**
 * "Publish to marketplace" on an image's, a VM template's or a service template's page. A
 * template's parts become child apps: each is published anew or an existing app is reused.
 */
export function PublishToMarketButton({ source, defaultName, disabledReason }: PublishToMarketButtonProps) {
  const [opened, { open, close }] = useDisclosure(false);
  const canPublish = useCanPublish();
  if (!canPublish) return null;
  const button = (
    <Button
      variant="default"
      leftSection={<IconBuildingStore size={16} aria-hidden />}
      onClick={open}
      disabled={!!disabledReason}
    >
      Publish to marketplace
    </Button>
  );
  const what = SOURCE_LABELS[source.kind];
  return (
    <>
      {disabledReason ? (
        <Tooltip label={disabledReason}>
          <span>{button}</span>
        </Tooltip>
      ) : (
        button
      )}
      <Modal opened={opened} onClose={close} title={`Publish ${what}${defaultName ? ` ${defaultName}` : ""}`} size="lg">
        <PublishDialogBody source={source} defaultName={defaultName} onDone={close} />
      </Modal>
    </>
  );
}

function PublishDialogBody({
  source,
  defaultName,
  onDone,
}: {
  source: PublishSource;
  defaultName?: string;
  onDone: () => void;
}) {
  const { plan, error } = usePublishPlan(source);
  if (plan) return <PublishAppForm plan={plan} defaultName={defaultName} onDone={onDone} />;
  if (error)
    return (
      <Alert color="red" role="alert" title={`Could not read the ${SOURCE_LABELS[source.kind]}`}>
        {error.message}
      </Alert>
    );
  return (
    <Stack aria-busy="true" aria-label="Loading">
      <Skeleton h={36} />
      <Skeleton h={160} />
    </Stack>
  );
}

/** What the publish will do, in one sentence. */
function publishPreview(plan: PublishPlan, v: PublishFormValues, marketplace: string) {
  const app = `app ${v.name.trim() || "—"} version ${v.version.trim() || "—"} in marketplace ${marketplace}`;
  if (plan.kind === "image")
    return `Will publish image ${plan.name} (${plan.format || "unknown format"}, ${formatBytes(plan.sizeBytes)}) as ${app}. The image stays in use until its bytes are copied.`;
  const parts = countsText(publishCounts(plan, v));
  return `Will publish ${SOURCE_LABELS[plan.kind]} ${plan.name} as ${app}${parts ? ` with ${parts}` : ""}. One job copies every image; if any part fails, nothing is kept.`;
}

function PublishAppForm({
  plan,
  defaultName,
  onDone,
}: {
  plan: PublishPlan;
  defaultName?: string;
  onDone: () => void;
}) {
  const router = useRouter();
  const publish = usePublishApp();
  // marketplaces of this zone whose driver can take uploads
  const marketplaces = useAllMarketplaces().filter((m) => m.enabled && m.local && m.capabilities.create);
  const form = useForm<PublishFormValues>({
    initialValues: initialPublishValues(plan, defaultName),
    validate: (values) => publishErrors(plan, values),
  });
  const chosen = marketplaces.find((m) => String(m.id) === form.values.marketplaceId);

  const submit = form.onSubmit((v) =>
    publish.mutate(publishBody(plan, v), {
      onSuccess: (app) => {
        notifySuccess(`Publishing ${plan.name} to ${refName(app.marketplace)} as ${app.name}`);
        onDone();
        router.push(`/apps/${app.id}`);
      },
      onError: (err) => notifyError(err, form),
    }),
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
          onChange={(e) => {
            // apps chosen for reuse belonged to the previous marketplace
            form.setValues({ marketplaceId: e.currentTarget.value, ...withoutChosenApps(form.values) });
            form.clearFieldError("marketplaceId");
          }}
        />
        <AppMetadataFields form={form} withVmTemplate={plan.kind === "image"} />
        {plan.kind === "vmTemplate" ? <VmTemplateChoices form={form} disks={plan.disks} /> : null}
        {plan.kind === "serviceTemplate" ? <ServiceTemplateChoices form={form} roles={plan.roles} /> : null}
        {chosen ? (
          <Alert color="blue" title="Preview" role="status">
            {publishPreview(plan, form.values, chosen.name)}
          </Alert>
        ) : null}
        <FormActions submitLabel="Publish" pending={publish.isPending} onCancel={onDone} />
      </Stack>
    </form>
  );
}

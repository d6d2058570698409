"use client";

import { Text, Textarea, TextInput } from "@mantine/core";
import { useForm } from "@mantine/form";
import { useSession } from "@/components/auth/session-context";
import { changedFields, EditButton, EditForm } from "@/components/ui/edit-modal";
import type { MarketplaceDto } from "./api";
import { DriverFields } from "./driver-fields";
import {
  changedConfig,
  marketErrorTarget,
  marketFormValidate,
  marketFormValues,
  type MarketFormValues,
} from "./market-drivers";
import { useUpdateMarketplace } from "./queries";

export function EditMarketplaceButton({ market, disabled }: { market: MarketplaceDto; disabled?: boolean }) {
  return (
    <EditButton kind="marketplace" name={market.name} disabled={disabled}>
      {(close) => <EditMarketplaceForm market={market} onDone={close} />}
    </EditButton>
  );
}

/** The changes to send: a secret is only replaced when a new one is typed. */
function marketPatch(v: MarketFormValues, market: MarketplaceDto) {
  const config = changedConfig(v, market);
  return {
    ...changedFields({ name: v.name.trim(), description: v.description }, market),
    ...(Object.keys(config).length > 0 ? { config } : {}),
    ...(v.secrets.secretAccessKey ? { secrets: { secretAccessKey: v.secrets.secretAccessKey } } : {}),
  };
}

/**
 * Name, description and the driver's attributes; the server re-checks the backend when they change.
 * A public catalog's attributes (its endpoint above all) are the administrators' to change.
 */
function EditMarketplaceForm({ market, onDone }: { market: MarketplaceDto; onDone: () => void }) {
  const { isAdmin } = useSession().user;
  const attributesLocked = market.public && !isAdmin;
  const update = useUpdateMarketplace();
  const form = useForm<MarketFormValues>({
    initialValues: marketFormValues(market),
    validate: marketFormValidate({ secretRequired: false }),
  });
  return (
    <EditForm
      form={form}
      kind="Marketplace"
      patchOf={(v) => marketPatch(v, market)}
      save={(patch) => update.mutateAsync({ id: market.id, patch })}
      pending={update.isPending}
      onDone={onDone}
      errorTarget={marketErrorTarget(form)}
    >
      <TextInput label="Name" data-autofocus autoComplete="off" {...form.getInputProps("name")} />
      <Textarea label="Description" autosize minRows={2} {...form.getInputProps("description")} />
      <DriverFields
        form={form}
        editing
        secretSet={market.secretsSet.includes("secretAccessKey")}
        readOnly={attributesLocked}
      />
      {attributesLocked ? (
        <Text size="sm" c="dimmed">
          Only administrators change where a public catalog is read from.
        </Text>
      ) : market.public && market.appCount > 0 && Object.keys(changedConfig(form.values, market)).length > 0 ? (
        <Text size="sm" c="dimmed">
          The catalog is read again from there once saved: its {market.appCount} apps follow what it lists, and apps it
          no longer lists are removed after a few monitors.
        </Text>
      ) : null}
    </EditForm>
  );
}

"use client";

import { Button, Group, Modal, Stack, Text, Textarea, TextInput } from "@mantine/core";
import { useForm } from "@mantine/form";
import { useDisclosure } from "@mantine/hooks";
import { IconEdit } from "@tabler/icons-react";
import { useSession } from "@/components/auth/session-context";
import { notifyError, notifySuccess } from "@/components/ui/notify";
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
  const [opened, { open, close }] = useDisclosure(false);
  return (
    <>
      <Button variant="default" leftSection={<IconEdit size={16} aria-hidden />} onClick={open} disabled={disabled}>
        Edit
      </Button>
      <Modal opened={opened} onClose={close} title={`Edit marketplace ${market.name}`} size="lg">
        <EditMarketplaceForm market={market} onDone={close} />
      </Modal>
    </>
  );
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

  const submit = form.onSubmit((v) => {
    const config = changedConfig(v, market);
    const patch = {
      ...(v.name.trim() !== market.name ? { name: v.name.trim() } : {}),
      ...(v.description !== market.description ? { description: v.description } : {}),
      ...(Object.keys(config).length > 0 ? { config } : {}),
      // a secret is only replaced when a new one is typed
      ...(v.secrets.secretAccessKey ? { secrets: { secretAccessKey: v.secrets.secretAccessKey } } : {}),
    };
    if (Object.keys(patch).length === 0) return onDone();
    update.mutate(
      { id: market.id, patch },
      {
        onSuccess: (saved) => {
          notifySuccess(`Marketplace ${saved.name} saved`);
          onDone();
        },
        onError: (err) => notifyError(err, marketErrorTarget(form)),
      },
    );
  });

  return (
    <form onSubmit={submit} noValidate>
      <Stack>
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
            The catalog is read again from there once saved: its {market.appCount} apps follow what it lists, and apps
            it no longer lists are removed after a few monitors.
          </Text>
        ) : null}
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

"use client";

import { Alert, Button, Group, Modal, Skeleton, Stack } from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { IconEdit } from "@tabler/icons-react";
import type { QuotaOwner, QuotasDto } from "./api";
import { QuotaForm } from "./quota-form";
import { QuotaUsageView } from "./quota-usage";
import { useQuotas } from "./queries";

/**
 * A user's or group's quotas with what it uses now; admins (`canEdit`) change them. Used on
 * the user, group and profile pages.
 */
export function QuotaPanel({ owner, name, canEdit }: { owner: QuotaOwner; name: string; canEdit: boolean }) {
  const quotas = useQuotas(owner);
  if (quotas.isPending)
    return (
      <Stack aria-busy="true" aria-label="Loading quotas" maw={760}>
        <Skeleton h={24} w="40%" />
        <Skeleton h={120} />
      </Stack>
    );
  if (quotas.isError)
    return (
      <Alert color="red" role="alert" title="Could not load the quotas" maw={760}>
        {quotas.error.message}
      </Alert>
    );
  return (
    <Stack gap="md">
      {canEdit ? (
        <Group>
          <EditQuotasButton owner={owner} name={name} quotas={quotas.data} />
        </Group>
      ) : null}
      <QuotaUsageView quotas={quotas.data} />
    </Stack>
  );
}

function EditQuotasButton({ owner, name, quotas }: { owner: QuotaOwner; name: string; quotas: QuotasDto }) {
  const [opened, { open, close }] = useDisclosure(false);
  return (
    <>
      <Button variant="default" leftSection={<IconEdit size={16} aria-hidden />} onClick={open}>
        Edit quotas
      </Button>
      <Modal opened={opened} onClose={close} title={`Quotas of ${name}`} size="xl">
        <QuotaForm owner={owner} name={name} quotas={quotas} onDone={close} />
      </Modal>
    </>
  );
}

"use client";

import { Anchor, Badge, Button, Group, Stack, Text } from "@mantine/core";
import { useForm } from "@mantine/form";
import { useSession } from "@/components/auth/session-context";
import { DetailHeader } from "@/components/ui/detail-header";
import { formatDateTime } from "@/components/ui/format";
import { notifyError, notifySuccess } from "@/components/ui/notify";
import { schemaValidate } from "@/components/ui/schema-validate";
import { zoneFields } from "@/lib/zones/zone-schemas";
import { QueryView } from "@/components/ui/query-view";
import type { ZoneStatusDto } from "./api";
import { useDeleteZone, useUpdateZone, useZone } from "./queries";
import { ZoneFields, type ZoneFormValues } from "./zone-fields";
import { ZoneHealthBadge } from "./zone-health-badge";
import { ZONE_DELETE_CONSEQUENCE } from "./zones-list";

export function ZoneDetail({ id }: { id: number }) {
  const query = useZone(id);
  return <QueryView query={query}>{(zone) => <ZoneView zone={zone} />}</QueryView>;
}

function ZoneView({ zone }: { zone: ZoneStatusDto }) {
  const { isAdmin } = useSession().user;
  const remove = useDeleteZone();
  return (
    <>
      <DetailHeader
        name={zone.name}
        badges={
          zone.local ? (
            <Badge color="teal" variant="light">
              Local
            </Badge>
          ) : null
        }
        meta={`ID ${zone.id} · registered ${formatDateTime(zone.createdAt)}`}
        remove={
          isAdmin
            ? {
                kind: "zone",
                name: zone.name,
                consequence: ZONE_DELETE_CONSEQUENCE,
                disabledReason: zone.local ? "The local zone cannot be removed" : undefined,
                onDelete: () => remove.mutateAsync(zone.id),
                listPath: "/zones",
              }
            : undefined
        }
      />
      <Group gap="xs" mb="md">
        <Text size="sm">Portal:</Text>
        <ZoneHealthBadge health={zone.health} />
        <Text size="sm" c="dimmed">
          {zone.health.detail}
        </Text>
      </Group>
      {isAdmin ? (
        <ZoneEditForm zone={zone} />
      ) : (
        <Stack gap="xs" maw={640}>
          <Text>
            Endpoint:{" "}
            {zone.endpoint ? (
              <Anchor href={zone.endpoint} target="_blank" rel="noopener noreferrer">
                {zone.endpoint}
              </Anchor>
            ) : (
              "not known"
            )}
          </Text>
          <Text>
            {zone.description || (
              <Text span c="dimmed">
                No description
              </Text>
            )}
          </Text>
        </Stack>
      )}
    </>
  );
}

function ZoneEditForm({ zone }: { zone: ZoneStatusDto }) {
  const update = useUpdateZone();
  const form = useForm<ZoneFormValues>({
    initialValues: { name: zone.name, endpoint: zone.endpoint ?? "", description: zone.description },
    validate: schemaValidate(zoneFields),
  });
  const submit = form.onSubmit((v) =>
    update.mutate(
      { id: zone.id, patch: { endpoint: v.endpoint.trim(), description: v.description } },
      {
        onSuccess: (saved) => {
          form.resetDirty({ name: saved.name, endpoint: saved.endpoint ?? "", description: saved.description });
          notifySuccess(`Zone ${saved.name} saved`);
        },
        onError: (err) => notifyError(err, form),
      },
    ),
  );
  return (
    <form onSubmit={submit} noValidate>
      <Stack maw={640}>
        <ZoneFields form={form} nameLocked />
        <Group>
          <Button type="submit" loading={update.isPending} disabled={!form.isDirty()}>
            Save
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

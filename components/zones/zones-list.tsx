"use client";

import { Anchor, Badge, Text } from "@mantine/core";
import { DeleteAction } from "@/components/ui/delete-action";
import { descriptionColumn, nameColumn, SimpleListPage } from "@/components/ui/simple-list-page";
import type { ZoneStatusDto } from "./api";
import { RegisterZoneButton } from "./register-zone-modal";
import { useDeleteZone, useZones } from "./queries";
import { ZoneHealthBadge } from "./zone-health-badge";

export const ZONE_DELETE_CONSEQUENCE =
  "The zone is removed from this portal's federation; VDC resources in it are dropped.";

export function ZonesList() {
  const remove = useDeleteZone();
  return (
    <SimpleListPage<ZoneStatusDto>
      title="Zones"
      plural="zones"
      useItems={useZones}
      create={<RegisterZoneButton />}
      columns={[
        nameColumn("/zones", (z) =>
          z.local ? (
            <Badge size="sm" color="teal" variant="light">
              Local
            </Badge>
          ) : null,
        ),
        {
          accessor: "endpoint",
          title: "Endpoint",
          render: (z) =>
            z.endpoint ? (
              <Anchor href={z.endpoint} target="_blank" rel="noopener noreferrer" size="sm">
                {z.endpoint}
              </Anchor>
            ) : (
              <Text span c="dimmed" size="sm">
                not known
              </Text>
            ),
        },
        { accessor: "health", title: "Status", render: (z) => <ZoneHealthBadge health={z.health} /> },
        descriptionColumn(),
      ]}
      deleteAction={(z) => (
        <DeleteAction
          kind="zone"
          name={z.name}
          consequence={ZONE_DELETE_CONSEQUENCE}
          disabledReason={z.local ? "The local zone cannot be removed" : undefined}
          onDelete={() => remove.mutateAsync(z.id)}
        />
      )}
    />
  );
}

"use client";

import Link from "next/link";
import { Anchor, Badge, Group, Stack, Text } from "@mantine/core";
import type { DataTableColumn } from "mantine-datatable";
import { useSession } from "@/components/auth/session-context";
import { DeleteAction } from "@/components/ui/delete-action";
import { PageHeader } from "@/components/ui/page-header";
import { ResourceTable } from "@/components/ui/resource-table";
import { SearchInput } from "@/components/ui/search-input";
import { useListUrlState } from "@/components/ui/use-list-url-state";
import type { ZoneStatusDto } from "./api";
import { RegisterZoneButton } from "./register-zone-modal";
import { useDeleteZone, useZones } from "./queries";
import { ZoneHealthBadge } from "./zone-health-badge";

export const ZONE_DELETE_CONSEQUENCE =
  "The zone is removed from this portal's federation; VDC resources in it are dropped.";

export function ZonesList() {
  const { isAdmin } = useSession().user;
  const list = useListUrlState({ sort: "name" });
  const zones = useZones(list.query);
  const remove = useDeleteZone();

  const columns: DataTableColumn<ZoneStatusDto>[] = [
    {
      accessor: "name",
      title: "Name",
      sortable: true,
      render: (z) => (
        <Group gap="xs">
          <Anchor component={Link} href={`/zones/${z.id}`}>
            {z.name}
          </Anchor>
          {z.local ? (
            <Badge size="sm" color="teal" variant="light">
              Local
            </Badge>
          ) : null}
        </Group>
      ),
    },
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
    {
      accessor: "health",
      title: "Status",
      render: (z) => <ZoneHealthBadge health={z.health} />,
    },
    {
      accessor: "description",
      title: "Description",
      render: (z) => (
        <Text size="sm" lineClamp={2}>
          {z.description}
        </Text>
      ),
    },
    ...(isAdmin
      ? [
          {
            accessor: "actions",
            title: "Actions",
            textAlign: "right",
            width: 90,
            render: (z) => (
              <DeleteAction
                kind="zone"
                name={z.name}
                consequence={ZONE_DELETE_CONSEQUENCE}
                disabledReason={z.local ? "The local zone cannot be removed" : undefined}
                onDelete={() => remove.mutateAsync(z.id)}
              />
            ),
          } satisfies DataTableColumn<ZoneStatusDto>,
        ]
      : []),
  ];

  return (
    <Stack gap="sm">
      <PageHeader title="Zones">{isAdmin ? <RegisterZoneButton /> : null}</PageHeader>
      <SearchInput value={list.params.q ?? ""} onChange={(q) => list.update({ q })} placeholder="Search zones…" />
      <ResourceTable
        label="Zones"
        list={list}
        data={zones.data}
        isFetching={zones.isFetching}
        error={zones.error}
        columns={columns}
        noRecordsText="No zones match"
      />
    </Stack>
  );
}

"use client";

import Link from "next/link";
import { Anchor, Badge, Group, Select, Stack, Text, Tooltip } from "@mantine/core";
import { IconAlertTriangle } from "@tabler/icons-react";
import type { DataTableColumn } from "mantine-datatable";
import { CapacityBar } from "@/components/datastores/capacity-bar";
import { useZoneOptions } from "@/components/zones/queries";
import { ZoneLink } from "@/components/zones/zone-link";
import { BulkActions, useBulkSelection } from "@/components/ui/bulk-actions";
import { FilterChips } from "@/components/ui/filter-chips";
import { PageHeader } from "@/components/ui/page-header";
import { ResourceTable } from "@/components/ui/resource-table";
import { SearchInput } from "@/components/ui/search-input";
import { StateBadge } from "@/components/ui/state-badge";
import { useListUrlState } from "@/components/ui/use-list-url-state";
import type { MarketplaceDto } from "./api";
import { CreateMarketplaceButton, useCanCreateMarketplace } from "./create-marketplace-modal";
import { DRIVER_OPTIONS } from "./market-drivers";
import { useMarketplaceBulkActions } from "./marketplace-bulk-actions";
import { useMarketplaces } from "./queries";

const STATE_OPTIONS = [
  { value: "true", label: "Enabled" },
  { value: "false", label: "Disabled" },
];

/**
 * A failing monitor, stated where the list is read: a red badge by the state and the reason
 * under it (the whole reason in the tooltip and on the detail page), so "Enabled" in green
 * never stands alone while nothing can be listed or stored.
 */
export function MonitorFailure({ market: m }: { market: MarketplaceDto }) {
  if (!m.monitorError) return null;
  const what = m.public ? "Sync failed" : "Monitor failed";
  return (
    <Tooltip label={`${what}: ${m.monitorError}`} multiline w={360} withArrow>
      <Stack gap={2} data-testid="monitor-error" tabIndex={0}>
        <Badge color="red" variant="light" tt="none" leftSection={<IconAlertTriangle size={12} aria-hidden />}>
          {what}
        </Badge>
        <Text size="xs" c="red" lineClamp={2}>
          {m.monitorError}
        </Text>
      </Stack>
    </Tooltip>
  );
}

const columns: DataTableColumn<MarketplaceDto>[] = [
  { accessor: "id", title: "ID", sortable: true, width: 70 },
  {
    accessor: "name",
    title: "Name",
    sortable: true,
    render: (m) => (
      <Anchor component={Link} href={`/marketplaces/${m.id}`}>
        {m.name}
      </Anchor>
    ),
  },
  {
    accessor: "driver",
    title: "Driver",
    sortable: true,
    render: (m) => (
      <Group gap={4}>
        <Text span size="sm">
          {m.driverLabel}
        </Text>
        {m.public ? (
          <Badge variant="outline" color="blue" tt="none">
            Public catalog
          </Badge>
        ) : null}
      </Group>
    ),
  },
  {
    accessor: "zone",
    title: "Zone",
    render: (m) => <ZoneLink zone={m.zone} local={m.local} path={`/marketplaces/${m.id}`} />,
  },
  {
    accessor: "state",
    title: "State",
    width: 220,
    render: (m) => (
      <Stack gap={4} align="flex-start">
        <StateBadge state={m.state} />
        <MonitorFailure market={m} />
      </Stack>
    ),
  },
  { accessor: "appCount", title: "Apps", textAlign: "right", width: 80 },
  {
    accessor: "capacity",
    title: "Capacity",
    width: 220,
    render: (m) =>
      // a failing monitor's figures are stale or were never measured: not shown as "0 B used"
      m.capacity && !m.monitorError ? (
        <CapacityBar capacity={m.capacity} name={m.name} />
      ) : m.monitorError && !m.public ? (
        <Text span size="sm" c="red">
          Unknown: the monitor fails
        </Text>
      ) : (
        // a public catalog has no capacity, ever
        <Text span size="sm" c="dimmed">
          {m.public ? "—" : "Not monitored yet"}
        </Text>
      ),
  },
  { accessor: "owner", title: "Owner", render: (m) => m.owner.name },
  { accessor: "group", title: "Group", render: (m) => m.group.name },
];

export function MarketplacesList() {
  const list = useListUrlState({ sort: "id", filters: ["driver", "enabled", "zoneId"] as const });
  const markets = useMarketplaces(list.query);
  const zones = useZoneOptions();
  const canCreate = useCanCreateMarketplace();
  const selection = useBulkSelection(list.query, markets.data?.items);
  const bulkActions = useMarketplaceBulkActions();
  const { filters, update } = list;

  const zoneName = zones.find((z) => z.value === filters.zoneId)?.label ?? filters.zoneId ?? "";
  const chips = [
    ...(filters.driver
      ? [
          {
            key: "driver",
            label: "Driver",
            value: DRIVER_OPTIONS.find((d) => d.value === filters.driver)?.label ?? filters.driver,
          },
        ]
      : []),
    ...(filters.enabled
      ? [{ key: "enabled", label: "State", value: filters.enabled === "true" ? "Enabled" : "Disabled" }]
      : []),
    ...(filters.zoneId ? [{ key: "zoneId", label: "Zone", value: zoneName }] : []),
  ];

  return (
    <Stack gap="sm">
      <PageHeader title="Marketplaces">{canCreate ? <CreateMarketplaceButton /> : null}</PageHeader>
      <Group gap="sm" align="flex-end">
        <SearchInput value={list.params.q ?? ""} onChange={(q) => update({ q })} placeholder="Search marketplaces…" />
        <Select
          aria-label="Filter by driver"
          placeholder="Any driver"
          data={DRIVER_OPTIONS}
          value={filters.driver ?? null}
          onChange={(v) => update({ filters: { driver: v } })}
          clearable
          w={220}
        />
        <Select
          aria-label="Filter by state"
          placeholder="Any state"
          data={STATE_OPTIONS}
          value={filters.enabled ?? null}
          onChange={(v) => update({ filters: { enabled: v } })}
          clearable
          w={150}
        />
        <Select
          aria-label="Filter by zone"
          placeholder="Any zone"
          data={zones}
          value={filters.zoneId ?? null}
          onChange={(v) => update({ filters: { zoneId: v } })}
          searchable
          clearable
          w={180}
        />
      </Group>
      <FilterChips filters={chips} onRemove={(key) => update({ filters: { [key]: null } })} />
      <BulkActions
        selected={selection.selected}
        onClear={selection.clear}
        describe={(m) => m.name}
        noun={{ one: "marketplace" }}
        actions={bulkActions}
      />
      <ResourceTable
        label="Marketplaces"
        list={list}
        data={markets.data}
        isFetching={markets.isFetching}
        error={markets.error}
        columns={columns}
        noRecordsText="No marketplaces match"
        selection={{ ...selection, describe: (m) => m.name }}
      />
    </Stack>
  );
}

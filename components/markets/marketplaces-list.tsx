"use client";

import Link from "next/link";
import { Anchor, Badge, Group, Select, Stack, Text, Tooltip } from "@mantine/core";
import { IconAlertTriangle } from "@tabler/icons-react";
import type { DataTableColumn } from "mantine-datatable";
import { CapacityBar } from "@/components/datastores/capacity-bar";
import { useZoneOptions } from "@/components/zones/queries";
import { ZoneLink } from "@/components/zones/zone-link";
import { FilterChips } from "@/components/ui/filter-chips";
import { PageHeader } from "@/components/ui/page-header";
import { ResourceTable } from "@/components/ui/resource-table";
import { SearchInput } from "@/components/ui/search-input";
import { StateBadge } from "@/components/ui/state-badge";
import { useListUrlState } from "@/components/ui/use-list-url-state";
import type { MarketplaceDto } from "./api";
import { CreateMarketplaceButton, useCanCreateMarketplace } from "./create-marketplace-modal";
import { DRIVER_OPTIONS } from "./market-drivers";
import { useMarketplaces } from "./queries";

const STATE_OPTIONS = [
  { value: "true", label: "Enabled" },
  { value: "false", label: "Disabled" },
];

/** A red mark by the state when the last monitor failed; the reason in its tooltip (and in full on the detail page). */
function MonitorErrorMark({ market: m }: { market: MarketplaceDto }) {
  if (!m.monitorError) return null;
  const label = `${m.public ? "Sync" : "Monitoring"} failed: ${m.monitorError}`;
  return (
    <Tooltip label={label} multiline w={360} withArrow>
      <IconAlertTriangle
        size={16}
        color="var(--mantine-color-red-6)"
        role="img"
        aria-label={label}
        data-testid="monitor-error"
        tabIndex={0}
      />
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
    width: 150,
    render: (m) => (
      <Group gap={6} wrap="nowrap">
        <StateBadge state={m.state} />
        <MonitorErrorMark market={m} />
      </Group>
    ),
  },
  { accessor: "appCount", title: "Apps", textAlign: "right", width: 80 },
  {
    accessor: "capacity",
    title: "Capacity",
    width: 220,
    render: (m) =>
      m.capacity ? (
        <CapacityBar capacity={m.capacity} name={m.name} />
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
      <ResourceTable
        label="Marketplaces"
        list={list}
        data={markets.data}
        isFetching={markets.isFetching}
        error={markets.error}
        columns={columns}
        noRecordsText="No marketplaces match"
      />
    </Stack>
  );
}

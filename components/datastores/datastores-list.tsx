"use client";

import Link from "next/link";
import { Anchor, Badge, Group, Select, Stack } from "@mantine/core";
import type { DataTableColumn } from "mantine-datatable";
import { BulkActions, useBulkSelection } from "@/components/ui/bulk-actions";
import { FilterChips } from "@/components/ui/filter-chips";
import { PageHeader } from "@/components/ui/page-header";
import { ResourceTable } from "@/components/ui/resource-table";
import { SearchInput } from "@/components/ui/search-input";
import { StateBadge } from "@/components/ui/state-badge";
import { useListUrlState } from "@/components/ui/use-list-url-state";
import type { DatastoreDto } from "./api";
import { CapacityBar } from "./capacity-bar";
import { useDatastoreBulkActions } from "./datastore-bulk-actions";
import { DatastoreFormButton, useCanCreateDatastore } from "./datastore-form-modal";
import { useDatastores } from "./queries";

const TYPE_OPTIONS = [
  { value: "IMAGE", label: "Image" },
  { value: "FILE", label: "File" },
];
const STATE_OPTIONS = [
  { value: "true", label: "Enabled" },
  { value: "false", label: "Disabled" },
];

const columns: DataTableColumn<DatastoreDto>[] = [
  { accessor: "id", title: "ID", sortable: true, width: 70 },
  {
    accessor: "name",
    title: "Name",
    sortable: true,
    render: (d) => (
      <Anchor component={Link} href={`/datastores/${d.id}`}>
        {d.name}
      </Anchor>
    ),
  },
  {
    accessor: "type",
    title: "Type",
    sortable: true,
    render: (d) => (
      <Badge variant="light" color="gray">
        {d.type}
      </Badge>
    ),
  },
  { accessor: "requiredFormat", title: "Required format" },
  {
    accessor: "capacity",
    title: "Capacity",
    width: 220,
    render: (d) => (
      <Group gap="xs" wrap="nowrap" align="flex-start">
        <CapacityBar capacity={d.capacity} name={d.name} />
        {d.limitMb !== null ? (
          <Badge size="xs" variant="outline" color="gray">
            limit
          </Badge>
        ) : null}
      </Group>
    ),
  },
  { accessor: "imageCount", title: "Images", textAlign: "right", width: 80 },
  { accessor: "state", title: "State", render: (d) => <StateBadge state={d.state} /> },
  { accessor: "owner", title: "Owner", render: (d) => d.owner.name },
  { accessor: "group", title: "Group", render: (d) => d.group.name },
];

export function DatastoresList() {
  const list = useListUrlState({ sort: "id", filters: ["type", "enabled"] as const });
  const datastores = useDatastores(list.query);
  const canCreate = useCanCreateDatastore();
  const selection = useBulkSelection(list.query, datastores.data?.items);
  const bulkActions = useDatastoreBulkActions();

  const chips = [
    ...(list.filters.type ? [{ key: "type", label: "Type", value: list.filters.type }] : []),
    ...(list.filters.enabled
      ? [{ key: "enabled", label: "State", value: list.filters.enabled === "true" ? "Enabled" : "Disabled" }]
      : []),
  ];

  return (
    <Stack gap="sm">
      <PageHeader title="Datastores">{canCreate ? <DatastoreFormButton /> : null}</PageHeader>
      <Group gap="sm" align="flex-end">
        <SearchInput
          value={list.params.q ?? ""}
          onChange={(q) => list.update({ q })}
          placeholder="Search datastores…"
        />
        <Select
          aria-label="Filter by type"
          placeholder="Any type"
          data={TYPE_OPTIONS}
          value={list.filters.type ?? null}
          onChange={(v) => list.update({ filters: { type: v } })}
          clearable
          w={150}
        />
        <Select
          aria-label="Filter by state"
          placeholder="Any state"
          data={STATE_OPTIONS}
          value={list.filters.enabled ?? null}
          onChange={(v) => list.update({ filters: { enabled: v } })}
          clearable
          w={150}
        />
      </Group>
      <FilterChips filters={chips} onRemove={(key) => list.update({ filters: { [key]: null } })} />
      <BulkActions
        selected={selection.selected}
        onClear={selection.clear}
        describe={(d) => d.name}
        noun={{ one: "datastore" }}
        actions={bulkActions}
      />
      <ResourceTable
        label="Datastores"
        list={list}
        data={datastores.data}
        isFetching={datastores.isFetching}
        error={datastores.error}
        columns={columns}
        noRecordsText="No datastores match"
        selection={{ ...selection, describe: (d) => d.name }}
      />
    </Stack>
  );
}

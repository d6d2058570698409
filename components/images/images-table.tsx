"use client";

import Link from "next/link";
import { Anchor, Group, Select, Stack, Text } from "@mantine/core";
import type { DataTableColumn } from "mantine-datatable";
import { useSession } from "@/components/auth/session-context";
import { useAllDatastores } from "@/components/datastores/queries";
import { holdsRight, type Me } from "@/components/permissions/bits";
import { RefLink } from "@/components/permissions/object-ref";
import { formatBytes } from "@/components/transfer/format";
import { BulkActions, useBulkSelection } from "@/components/ui/bulk-actions";
import { FilterChips } from "@/components/ui/filter-chips";
import { ResourceTable } from "@/components/ui/resource-table";
import { SearchInput } from "@/components/ui/search-input";
import { StateBadge } from "@/components/ui/state-badge";
import type { ListUrlState } from "@/components/ui/use-list-url-state";
import type { ImageDto } from "./api";
import { useImageBulkActions } from "./image-bulk-actions";
import { ImageActivity } from "./image-activity";
import { IMAGE_STATES, IMAGE_TYPES } from "./image-state";
import { useImages } from "./queries";
import { UploadActions } from "./upload-actions";

export const IMAGE_FILTERS = ["state", "type", "datastoreId"] as const;
export type ImageFilterName = (typeof IMAGE_FILTERS)[number];
export const IMAGE_LIST_DEFAULTS = { sort: "id", order: "desc", filters: IMAGE_FILTERS } as const;

const cap = (s: string) => s.charAt(0) + s.slice(1).toLowerCase();

function columnsFor(me: Me, withDatastore: boolean): DataTableColumn<ImageDto>[] {
  return [
    { accessor: "id", title: "ID", sortable: true, width: 70 },
    {
      accessor: "name",
      title: "Name",
      sortable: true,
      render: (i) => (
        <Anchor component={Link} href={`/images/${i.id}`}>
          {i.name}
        </Anchor>
      ),
    },
    { accessor: "type", title: "Type" },
    {
      accessor: "state",
      title: "State",
      sortable: true,
      width: 260,
      render: (i) => (
        <Stack gap={4}>
          <StateBadge state={i.state} />
          <ImageActivity image={i} compact />
        </Stack>
      ),
    },
    {
      accessor: "format",
      title: "Format",
      render: (i) =>
        i.format || (
          <Text span c="dimmed">
            —
          </Text>
        ),
    },
    {
      accessor: "sizeBytes",
      title: "Size",
      sortable: true,
      textAlign: "right",
      render: (i) => (i.sizeBytes ? formatBytes(i.sizeBytes) : "—"),
    },
    ...(withDatastore
      ? [
          {
            accessor: "datastore",
            title: "Datastore",
            render: (i) => <RefLink kind="datastore" href={`/datastores/${i.datastore.id}`} value={i.datastore} />,
          } satisfies DataTableColumn<ImageDto>,
        ]
      : []),
    { accessor: "owner", title: "Owner", render: (i) => i.owner.name },
    {
      accessor: "actions",
      title: "Actions",
      render: (i) => <UploadActions image={i} canManage={holdsRight(me, i, "manage")} />,
    },
  ];
}

interface ImagesTableProps {
  list: ListUrlState<ImageFilterName>;
  /** a datastore's Images tab: only its images, no datastore filter or column */
  datastoreId?: number;
}

/** The images table with its search, filters as chips, and live progress in the rows. */
export function ImagesTable({ list, datastoreId }: ImagesTableProps) {
  const me = useSession().user;
  const datastores = useAllDatastores();
  const images = useImages(datastoreId ? { ...list.query, datastoreId } : list.query);
  const selection = useBulkSelection(list.query, images.data?.items);
  const bulkActions = useImageBulkActions();
  const { filters, update } = list;

  const dsName = datastores.find((d) => String(d.id) === filters.datastoreId)?.name ?? filters.datastoreId ?? "";
  const chips = [
    ...(filters.state ? [{ key: "state", label: "State", value: cap(filters.state) }] : []),
    ...(filters.type ? [{ key: "type", label: "Type", value: filters.type }] : []),
    ...(filters.datastoreId && !datastoreId ? [{ key: "datastoreId", label: "Datastore", value: dsName }] : []),
  ];

  return (
    <Stack gap="sm">
      <Group gap="sm" align="flex-end">
        <SearchInput value={list.params.q ?? ""} onChange={(q) => update({ q })} placeholder="Search images…" />
        <Select
          aria-label="Filter by state"
          placeholder="Any state"
          data={IMAGE_STATES.map((s) => ({ value: s, label: cap(s) }))}
          value={filters.state ?? null}
          onChange={(v) => update({ filters: { state: v } })}
          clearable
          w={150}
        />
        <Select
          aria-label="Filter by type"
          placeholder="Any type"
          data={[...IMAGE_TYPES]}
          value={filters.type ?? null}
          onChange={(v) => update({ filters: { type: v } })}
          clearable
          w={150}
        />
        {datastoreId ? null : (
          <Select
            aria-label="Filter by datastore"
            placeholder="Any datastore"
            data={datastores.map((d) => ({ value: String(d.id), label: d.name }))}
            value={filters.datastoreId ?? null}
            onChange={(v) => update({ filters: { datastoreId: v } })}
            searchable
            clearable
            w={200}
          />
        )}
      </Group>
      <FilterChips filters={chips} onRemove={(key) => update({ filters: { [key]: null } })} />
      <BulkActions
        selected={selection.selected}
        onClear={selection.clear}
        describe={(i) => i.name}
        noun={{ one: "image" }}
        actions={bulkActions}
      />
      <ResourceTable
        label="Images"
        list={list}
        data={images.data}
        isFetching={images.isFetching}
        error={images.error}
        columns={columnsFor(me, !datastoreId)}
        noRecordsText="No images match"
        selection={{ ...selection, describe: (i) => i.name }}
      />
    </Stack>
  );
}

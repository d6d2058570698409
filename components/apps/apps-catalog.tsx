"use client";

import { Group, SegmentedControl, Select, Stack } from "@mantine/core";
import type { ListUrlState } from "@/components/ui/use-list-url-state";
import { AppCards } from "./app-cards";
import { AppFilterBar, type AppFilterName } from "./app-filters";
import { AppsTable } from "./apps-table";
import { useApps } from "./queries";

const VIEWS = [
  { value: "table", label: "Table" },
  { value: "cards", label: "Cards" },
];
/** Cards have no column headers to sort by: the same sorts as "sort:order" choices. */
const CARD_SORTS = [
  { value: "name:asc", label: "Name" },
  { value: "createdAt:desc", label: "Newest" },
  { value: "sizeBytes:desc", label: "Largest" },
  { value: "sizeBytes:asc", label: "Smallest" },
  { value: "version:desc", label: "Version" },
  { value: "type:asc", label: "Type" },
  { value: "state:asc", label: "State" },
];

interface AppsCatalogProps {
  list: ListUrlState<AppFilterName>;
  /** a marketplace's Apps tab: only its apps, no marketplace filter or column */
  marketplaceId?: number;
}

/** The catalog: every app you may use, searched and filtered, as a table or as cards. */
export function AppsCatalog({ list, marketplaceId }: AppsCatalogProps) {
  const view = list.filters.view ?? "table";
  const { view: _view, ...query } = list.query;
  const apps = useApps(marketplaceId ? { ...query, marketplaceId } : query);
  const results = { list, data: apps.data, isFetching: apps.isFetching, error: apps.error };
  const sort = `${list.params.sort}:${list.params.order}`;

  return (
    <Stack gap="sm">
      <AppFilterBar list={list} withMarketplace={!marketplaceId} />
      <Group gap="sm" justify="space-between">
        <SegmentedControl
          aria-label="View"
          data={VIEWS}
          value={view}
          onChange={(v) => list.update({ page: list.params.page, filters: { view: v === "table" ? null : v } })}
          size="xs"
        />
        {view === "cards" ? (
          <Select
            aria-label="Sort by"
            data={CARD_SORTS}
            value={CARD_SORTS.some((s) => s.value === sort) ? sort : null}
            placeholder="Sort by"
            onChange={(v) => {
              const [by, order] = (v ?? "name:asc").split(":");
              list.update({ sort: by, order: order as "asc" | "desc" });
            }}
            allowDeselect={false}
            size="xs"
            w={140}
          />
        ) : null}
      </Group>
      {view === "cards" ? <AppCards {...results} /> : <AppsTable {...results} withMarketplace={!marketplaceId} />}
    </Stack>
  );
}

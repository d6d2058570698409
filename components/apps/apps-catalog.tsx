"use client";

import { Group, SegmentedControl, Select, Stack, Text } from "@mantine/core";
import { ColumnChooser } from "@/components/ui/column-chooser";
import type { ListUrlState } from "@/components/ui/use-list-url-state";
import { AppCards } from "./app-cards";
import { AppFilterBar, type AppFilterName } from "./app-filters";
import { AppsTable, appColumns } from "./apps-table";
import { appsLabel } from "./catalog-format";
import { useApps } from "./queries";

const VIEWS = [
  { value: "cards", label: "Cards" },
  { value: "table", label: "Table" },
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

/**
 * The catalog: every app you may use, searched and filtered, as cards (the storefront people
 * land on) or as a table whose columns they choose. A marketplace's Apps tab opens on the table.
 * The view other than the default is kept in the URL (`view`).
 */
export function AppsCatalog({ list, marketplaceId }: AppsCatalogProps) {
  const defaultView = marketplaceId ? "table" : "cards";
  const view = list.filters.view === "table" || list.filters.view === "cards" ? list.filters.view : defaultView;
  const { view: _view, ...query } = list.query;
  const apps = useApps(marketplaceId ? { ...query, marketplaceId } : query);
  const results = { list, data: apps.data, isFetching: apps.isFetching, error: apps.error };
  const sort = `${list.params.sort}:${list.params.order}`;
  const withMarketplace = !marketplaceId;

  return (
    <Stack gap="sm">
      <AppFilterBar list={list} withMarketplace={withMarketplace} />
      <Group gap="sm" justify="space-between">
        <Group gap="sm">
          <SegmentedControl
            aria-label="View"
            data={VIEWS}
            value={view}
            onChange={(v) => list.update({ page: list.params.page, filters: { view: v === defaultView ? null : v } })}
            size="xs"
          />
          {apps.data ? (
            <Text size="sm" c="dimmed" aria-live="polite">
              {appsLabel(apps.data.total)}
            </Text>
          ) : null}
        </Group>
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
        ) : (
          <ColumnChooser {...appColumns(withMarketplace)} />
        )}
      </Group>
      {view === "cards" ? <AppCards {...results} /> : <AppsTable {...results} withMarketplace={withMarketplace} />}
    </Stack>
  );
}

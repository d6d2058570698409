"use client";

import { Group, MultiSelect, Select, Stack } from "@mantine/core";
import { useSession } from "@/components/auth/session-context";
import { useAllMarketplaces } from "@/components/markets/queries";
import { useOwnerOptions } from "@/components/permissions/queries";
import { FilterChips, type ActiveFilter } from "@/components/ui/filter-chips";
import { SearchInput } from "@/components/ui/search-input";
import type { ListUrlState } from "@/components/ui/use-list-url-state";
import { useZoneOptions } from "@/components/zones/queries";
import type { AppFacets } from "./api";
import { APP_STATES, APP_TYPE_LABELS, APP_TYPES } from "./app-state";
import { useAppFacets } from "./queries";

/** The catalog's filters as URL keys (the API's query names); `view` is the table/cards toggle. */
export const APP_FILTERS = [
  "type",
  "state",
  "marketplaceId",
  "zoneId",
  "ownerId",
  "format",
  "hypervisor",
  "architecture",
  "tags",
  "view",
] as const;
export type AppFilterName = (typeof APP_FILTERS)[number];
export const APP_LIST_DEFAULTS = { sort: "name", order: "asc", filters: APP_FILTERS } as const;

type Option = { value: string; label: string };
const cap = (s: string) => s.charAt(0) + s.slice(1).toLowerCase();
const plain = (values: string[] | undefined): Option[] => (values ?? []).map((v) => ({ value: v, label: v }));

/** The tags filter holds several values, comma-separated as the API takes them. */
export const splitTags = (tags: string | undefined) => (tags ? tags.split(",").filter(Boolean) : []);

interface SelectFilter {
  name: Exclude<AppFilterName, "tags" | "view">;
  label: string;
  options: Option[];
  width: number;
}

function useSelectFilters(withMarketplace: boolean, facets: AppFacets | undefined): SelectFilter[] {
  const me = useSession().user;
  const marketplaces = useAllMarketplaces();
  const zones = useZoneOptions();
  const users = useOwnerOptions(me.isAdmin);
  return [
    {
      name: "type",
      label: "Type",
      options: APP_TYPES.map((t) => ({ value: t, label: APP_TYPE_LABELS[t] })),
      width: 170,
    },
    { name: "state", label: "State", options: APP_STATES.map((s) => ({ value: s, label: cap(s) })), width: 140 },
    ...(withMarketplace
      ? [
          {
            name: "marketplaceId" as const,
            label: "Marketplace",
            options: marketplaces.map((m) => ({ value: String(m.id), label: m.name })),
            width: 200,
          },
        ]
      : []),
    { name: "zoneId", label: "Zone", options: zones, width: 160 },
    // only admins may list users; others may pick themselves
    {
      name: "ownerId",
      label: "Owner",
      options: me.isAdmin ? users : [{ value: String(me.id), label: me.username }],
      width: 160,
    },
    { name: "format", label: "Format", options: plain(facets?.formats), width: 130 },
    { name: "hypervisor", label: "Hypervisor", options: plain(facets?.hypervisors), width: 170 },
    { name: "architecture", label: "Architecture", options: plain(facets?.architectures), width: 180 },
  ];
}

/** The value in the URL stays choosable (and named) even when the options do not list it yet. */
const withValue = (options: Option[], value: string | undefined) =>
  !value || options.some((o) => o.value === value) ? options : [...options, { value, label: value }];

/** Search, one select per filter, tags (several), and every active filter as a removable chip. */
export function AppFilterBar({
  list,
  withMarketplace,
}: {
  list: ListUrlState<AppFilterName>;
  withMarketplace: boolean;
}) {
  const { filters, update } = list;
  const facets = useAppFacets().data;
  const selects = useSelectFilters(withMarketplace, facets);
  const tags = splitTags(filters.tags);

  const chips: ActiveFilter[] = [
    ...selects.flatMap((f) => {
      const value = filters[f.name];
      if (!value) return [];
      return [{ key: f.name, label: f.label, value: f.options.find((o) => o.value === value)?.label ?? value }];
    }),
    ...tags.map((t) => ({ key: `tag:${t}`, label: "Tag", value: t })),
  ];
  const setTags = (next: string[]) => update({ filters: { tags: next.join(",") || null } });
  const remove = (key: string) =>
    key.startsWith("tag:")
      ? setTags(tags.filter((t) => t !== key.slice(4)))
      : update({ filters: { [key]: null } as Partial<Record<AppFilterName, null>> });

  return (
    <Stack gap="sm">
      <Group gap="sm" align="flex-end">
        <SearchInput value={list.params.q ?? ""} onChange={(q) => update({ q })} placeholder="Search apps…" />
        {selects.map((f) => (
          <Select
            key={f.name}
            aria-label={`Filter by ${f.label.toLowerCase()}`}
            placeholder={`Any ${f.label.toLowerCase()}`}
            data={withValue(f.options, filters[f.name])}
            value={filters[f.name] ?? null}
            onChange={(v) => update({ filters: { [f.name]: v } as Partial<Record<AppFilterName, string | null>> })}
            searchable
            clearable
            w={f.width}
          />
        ))}
        <MultiSelect
          aria-label="Filter by tags"
          placeholder={tags.length ? undefined : "Any tags"}
          data={[...new Set([...(facets?.tags ?? []), ...tags])]}
          value={tags}
          onChange={setTags}
          searchable
          clearable
          miw={160}
          maw={320}
        />
      </Group>
      <FilterChips filters={chips} onRemove={remove} />
    </Stack>
  );
}

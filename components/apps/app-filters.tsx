"use client";

import { Group, MultiSelect, Select, Stack, Text, type ComboboxItem } from "@mantine/core";
import { IconCheck } from "@tabler/icons-react";
import { useSession } from "@/components/auth/session-context";
import { useAllMarketplaces } from "@/components/markets/queries";
import { useOwnerOptions } from "@/components/permissions/queries";
import { FilterChips, type ActiveFilter } from "@/components/ui/filter-chips";
import { SearchInput } from "@/components/ui/search-input";
import type { ListUrlState } from "@/components/ui/use-list-url-state";
import { useZoneOptions } from "@/components/zones/queries";
import type { AppFacets } from "./api";
import { APP_STATES, APP_TYPE_LABELS, APP_TYPES } from "./app-state";
import { facetOptions, formatCount, withCounts, type FacetOption } from "./catalog-format";
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

type Option = { value: string; label: string; count?: number };
const cap = (s: string) => s.charAt(0) + s.slice(1).toLowerCase();

/** The tags filter holds several values, comma-separated as the API takes them. */
export const splitTags = (tags: string | undefined) => (tags ? tags.split(",").filter(Boolean) : []);

interface SelectFilter {
  name: Exclude<AppFilterName, "tags" | "view">;
  label: string;
  options: Option[];
  width: number;
}

function useSelectFilters(
  withMarketplace: boolean,
  facets: AppFacets | undefined,
  filters: ListUrlState<AppFilterName>["filters"],
): SelectFilter[] {
  const me = useSession().user;
  const marketplaces = useAllMarketplaces();
  const zones = useZoneOptions();
  const users = useOwnerOptions(me.isAdmin);
  const counts = facets?.counts;
  return [
    {
      name: "type",
      label: "Type",
      options: withCounts(
        APP_TYPES.map((t) => ({ value: t, label: APP_TYPE_LABELS[t] })),
        counts?.types,
      ),
      width: 170,
    },
    {
      name: "state",
      label: "State",
      options: withCounts(
        APP_STATES.map((s) => ({ value: s, label: cap(s) })),
        counts?.states,
      ),
      width: 140,
    },
    ...(withMarketplace
      ? [
          {
            name: "marketplaceId" as const,
            label: "Marketplace",
            options: withCounts(
              marketplaces.map((m) => ({ value: String(m.id), label: m.name })),
              counts?.marketplaceIds,
            ),
            width: 200,
          },
        ]
      : []),
    { name: "zoneId", label: "Zone", options: withCounts(zones, counts?.zoneIds), width: 160 },
    // only admins may list users; others may pick themselves
    {
      name: "ownerId",
      label: "Owner",
      options: withCounts(me.isAdmin ? users : [{ value: String(me.id), label: me.username }], counts?.ownerIds),
      width: 160,
    },
    { name: "format", label: "Format", options: counted(facets?.counts.formats, filters.format), width: 130 },
    {
      name: "hypervisor",
      label: "Hypervisor",
      options: counted(facets?.counts.hypervisors, filters.hypervisor),
      width: 170,
    },
    {
      name: "architecture",
      label: "Architecture",
      options: counted(facets?.counts.architectures, filters.architecture),
      width: 180,
    },
  ];
}

/** A facet's values with their counts once the facets came (the chosen value kept, at 0). */
const counted = (counts: AppFacets["counts"]["formats"] | undefined, chosen: string | undefined): FacetOption[] =>
  counts ? facetOptions(counts, chosen ? [chosen] : []) : [];

/** The value in the URL stays choosable (and named) even when the options do not list it yet. */
const withValue = (options: Option[], value: string | undefined) =>
  !value || options.some((o) => o.value === value) ? options : [...options, { value, label: value }];

/**
 * An option as the dropdown shows it: "kvm (1,204)", the count dimmed, and the whole option
 * dimmed when no app has the value. The input and the chips keep the bare value.
 */
function optionRenderer(options: Option[]) {
  const counts = new Map(options.map((o) => [o.value, o.count]));
  return function renderOption({ option, checked }: { option: ComboboxItem; checked?: boolean }) {
    const count = counts.get(option.value);
    return (
      <Group gap={6} wrap="nowrap" c={count === 0 ? "dimmed" : undefined}>
        {checked ? <IconCheck size={14} aria-hidden /> : null}
        <span>
          {option.label}
          {count === undefined ? null : (
            <Text span size="xs" c="dimmed">
              {` (${formatCount(count)})`}
            </Text>
          )}
        </span>
      </Group>
    );
  };
}

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
  const selects = useSelectFilters(withMarketplace, facets, filters);
  const tags = splitTags(filters.tags);
  // the most used tags first: those are what people browse by
  const tagOptions = facets
    ? facetOptions(facets.counts.tags, tags, "count")
    : tags.map((t) => ({ value: t, label: t }));

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
        {selects.map((f) => {
          const options = withValue(f.options, filters[f.name]);
          return (
            <Select
              key={f.name}
              aria-label={`Filter by ${f.label.toLowerCase()}`}
              placeholder={`Any ${f.label.toLowerCase()}`}
              data={options.map(({ value, label }) => ({ value, label }))}
              renderOption={options.some((o) => o.count !== undefined) ? optionRenderer(options) : undefined}
              value={filters[f.name] ?? null}
              onChange={(v) => update({ filters: { [f.name]: v } as Partial<Record<AppFilterName, string | null>> })}
              searchable
              clearable
              w={f.width}
            />
          );
        })}
        <MultiSelect
          aria-label="Filter by tags"
          placeholder={tags.length ? undefined : "Any tags"}
          data={tagOptions.map(({ value, label }) => ({ value, label }))}
          renderOption={optionRenderer(tagOptions)}
          value={tags}
          onChange={setTags}
          searchable
          clearable
          miw={160}
          maw={320}
        />
      </Group>
      <Group justify="space-between" gap="sm" wrap="nowrap" align="flex-start">
        <FilterChips filters={chips} onRemove={remove} />
        {facets ? (
          <Text size="xs" c="dimmed" ml="auto" ta="right">
            The numbers in the lists count all the apps you may use, whatever the other filters.
          </Text>
        ) : null}
      </Group>
    </Stack>
  );
}

"use client";

import Link from "next/link";
import { Anchor, Group, Stack, Text } from "@mantine/core";
import type { Page } from "@/components/api/types";
import { isShown, RefLink } from "@/components/permissions/object-ref";
import { formatBytes } from "@/components/transfer/format";
import { formatDateTime } from "@/components/ui/format";
import { BulkActions, useBulkSelection } from "@/components/ui/bulk-actions";
import type { ChoosableColumn } from "@/components/ui/column-choice";
import { useShownColumns } from "@/components/ui/column-chooser";
import { ResourceTable } from "@/components/ui/resource-table";
import { StateBadge } from "@/components/ui/state-badge";
import type { ListUrlState } from "@/components/ui/use-list-url-state";
import type { AppDto } from "./api";
import { AppActivity } from "./app-activity";
import { useAppBulkActions } from "./app-bulk-actions";
import type { AppFilterName } from "./app-filters";
import { AppLogo, AppName, AppTags } from "./app-pieces";
import { APP_TYPE_LABELS, partsText } from "./app-state";

export { AppLogo, AppName, AppTags, AppTypeBadge } from "./app-pieces";

const dash = (
  <Text span c="dimmed">
    —
  </Text>
);

/** A cell's text on one line, cut at `maw` with "…", whole in its tooltip. */
function OneLine({ text, maw }: { text: string; maw: string | number }) {
  if (!text) return dash;
  return (
    <Text size="sm" truncate="end" maw={maw} title={text}>
      {text}
    </Text>
  );
}

/**
 * The catalog's columns. Name, type, marketplace, state, version, size and tags fit on one line
 * each at 1440 px (long values end in "…", whole in their tooltip); the others are in the
 * Columns menu (`hideable`), and the rarely needed ones start hidden.
 */
function columnsFor(withMarketplace: boolean): ChoosableColumn<AppDto>[] {
  const secondary = { hideable: true, noWrap: true } as const;
  const hidden = { ...secondary, hiddenByDefault: true } as const;
  return [
    { accessor: "id", title: "ID", sortable: true, width: 70, ...hidden },
    {
      accessor: "name",
      title: "Name",
      sortable: true,
      noWrap: true,
      render: (a) => (
        <Group gap="xs" wrap="nowrap">
          <AppLogo app={a} size={24} />
          <AppName app={a} maxWidth="clamp(160px, 20vw, 380px)" />
        </Group>
      ),
    },
    {
      accessor: "type",
      title: "Type",
      sortable: true,
      ...secondary,
      render: (a) => (
        <Stack gap={0}>
          <Text size="sm">{APP_TYPE_LABELS[a.type]}</Text>
          {a.childCount ? (
            <Text size="xs" c="dimmed">
              {partsText(a.childCount)}
            </Text>
          ) : null}
        </Stack>
      ),
    },
    ...(withMarketplace
      ? [
          {
            accessor: "marketplace",
            title: "Marketplace",
            ...secondary,
            render: (a) =>
              isShown(a.marketplace) ? (
                <Anchor
                  component={Link}
                  href={`/marketplaces/${a.marketplace.id}`}
                  size="sm"
                  display="block"
                  truncate="end"
                  maw="clamp(120px, 12vw, 240px)"
                  title={a.marketplace.name}
                >
                  {a.marketplace.name}
                </Anchor>
              ) : (
                <RefLink kind="marketplace" href={`/marketplaces/${a.marketplace.id}`} value={a.marketplace} />
              ),
          } satisfies ChoosableColumn<AppDto>,
        ]
      : []),
    {
      accessor: "state",
      title: "State",
      sortable: true,
      width: 130,
      hideable: true,
      render: (a) => (
        <Stack gap={4}>
          <StateBadge state={a.state} />
          <AppActivity app={a} compact />
        </Stack>
      ),
    },
    {
      accessor: "version",
      title: "Version",
      sortable: true,
      ...secondary,
      render: (a) => <OneLine text={a.version} maw={130} />,
    },
    {
      accessor: "sizeBytes",
      title: "Size",
      sortable: true,
      textAlign: "right",
      ...secondary,
      render: (a) => (a.sizeBytes ? formatBytes(a.sizeBytes) : dash),
    },
    {
      accessor: "tags",
      title: "Tags",
      ...secondary,
      render: (a) => (a.tags.length ? <AppTags tags={a.tags} max={2} maxChars={16} nowrap /> : dash),
    },
    { accessor: "zone", title: "Zone", ...hidden, render: (a) => a.zone.name },
    { accessor: "format", title: "Format", ...hidden, render: (a) => a.format || dash },
    { accessor: "hypervisor", title: "Hypervisor", ...hidden, render: (a) => a.hypervisor || dash },
    { accessor: "architecture", title: "Architecture", ...hidden, render: (a) => a.architecture || dash },
    { accessor: "owner", title: "Owner", ...hidden, render: (a) => a.owner.name },
    {
      accessor: "createdAt",
      title: "Created",
      sortable: true,
      ...hidden,
      render: (a) => formatDateTime(a.createdAt),
    },
  ];
}

// built once: the Columns menu and the table read the same columns
const COLUMNS = { catalog: columnsFor(true), marketplace: columnsFor(false) };

/**
 * The columns of the catalog's table (with the marketplace column) or of a marketplace's Apps
 * tab, and the key under which the browser keeps which of them are shown.
 */
export function appColumns(withMarketplace: boolean) {
  return withMarketplace
    ? { columns: COLUMNS.catalog, storeKey: "apps" }
    : { columns: COLUMNS.marketplace, storeKey: "marketplace-apps" };
}

interface AppsTableProps {
  list: ListUrlState<AppFilterName>;
  data: Page<AppDto> | undefined;
  isFetching: boolean;
  error: unknown;
  withMarketplace: boolean;
}

export function AppsTable({ list, data, isFetching, error, withMarketplace }: AppsTableProps) {
  const { columns, storeKey } = appColumns(withMarketplace);
  const shownColumns = useShownColumns(storeKey, columns);
  const selection = useBulkSelection(list.query, data?.items);
  const bulkActions = useAppBulkActions();
  return (
    <>
      <BulkActions
        selected={selection.selected}
        onClear={selection.clear}
        describe={(a) => a.name}
        noun={{ one: "app" }}
        actions={bulkActions}
      />
      <ResourceTable
        label="Apps"
        list={list}
        data={data}
        isFetching={isFetching}
        error={error}
        columns={shownColumns}
        noRecordsText="No apps match"
        selection={{ ...selection, describe: (a) => a.name }}
      />
    </>
  );
}

"use client";

import Link from "next/link";
import { Anchor, Avatar, Badge, Group, Stack, Text, Tooltip } from "@mantine/core";
import { IconDisc, IconLock, IconSitemap, IconTemplate, type Icon } from "@tabler/icons-react";
import type { DataTableColumn } from "mantine-datatable";
import type { Page } from "@/components/api/types";
import { RefLink } from "@/components/permissions/object-ref";
import { formatBytes } from "@/components/transfer/format";
import { ResourceTable } from "@/components/ui/resource-table";
import { StateBadge } from "@/components/ui/state-badge";
import type { ListUrlState } from "@/components/ui/use-list-url-state";
import type { AppDto } from "./api";
import { AppActivity } from "./app-activity";
import type { AppFilterName } from "./app-filters";
import { APP_TYPE_LABELS, partsText } from "./app-state";

const dash = (
  <Text span c="dimmed">
    —
  </Text>
);

/** The app's name, linked, with a lock icon when a user locked it. */
export function AppName({ app }: { app: AppDto }) {
  return (
    <Group gap={4} wrap="nowrap">
      <Anchor component={Link} href={`/apps/${app.id}`}>
        {app.name}
      </Anchor>
      {app.lockLevel ? (
        <Tooltip label={`Locked (${app.lockLevel})`}>
          <IconLock size={14} role="img" aria-label={`Locked (${app.lockLevel})`} />
        </Tooltip>
      ) : null}
    </Group>
  );
}

const TYPE_ICONS: Record<AppDto["type"], Icon> = {
  IMAGE: IconDisc,
  VMTEMPLATE: IconTemplate,
  SERVICE_TEMPLATE: IconSitemap,
};

/**
 * The logo a public catalog gives, at a fixed size, or an icon of the app's type when there is
 * none or it does not load. Decorative: the name is always next to it. The catalog's host sees
 * no referrer.
 */
export function AppLogo({ app, size = 40 }: { app: AppDto; size?: number }) {
  const TypeIcon = TYPE_ICONS[app.type];
  return (
    <Avatar
      src={app.logoUrl || null}
      alt=""
      size={size}
      radius="sm"
      variant="light"
      color={app.type === "IMAGE" ? "blue" : "grape"}
      imageProps={{ loading: "lazy", referrerPolicy: "no-referrer", width: size, height: size }}
      styles={{ image: { objectFit: "contain" } }}
    >
      <TypeIcon size={Math.round(size * 0.55)} aria-hidden />
    </Avatar>
  );
}

/** The app's type, and how many parts a composite app has ("3 parts"). */
export function AppTypeBadge({ app }: { app: AppDto }) {
  const parts = partsText(app.childCount);
  return (
    <Badge size="sm" variant="light" color={app.type === "IMAGE" ? "blue" : "grape"} tt="none">
      {APP_TYPE_LABELS[app.type]}
      {parts ? ` · ${parts}` : ""}
    </Badge>
  );
}

export function AppTags({ tags }: { tags: string[] }) {
  return (
    <Group gap={4}>
      {tags.map((t) => (
        <Badge key={t} size="sm" variant="outline" color="gray" tt="none">
          {t}
        </Badge>
      ))}
    </Group>
  );
}

function columnsFor(withMarketplace: boolean): DataTableColumn<AppDto>[] {
  return [
    { accessor: "id", title: "ID", sortable: true, width: 70 },
    {
      accessor: "name",
      title: "Name",
      sortable: true,
      render: (a) => (
        <Group gap="xs" wrap="nowrap">
          <AppLogo app={a} size={24} />
          <AppName app={a} />
        </Group>
      ),
    },
    {
      accessor: "type",
      title: "Type",
      sortable: true,
      noWrap: true,
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
            render: (a) => (
              <RefLink kind="marketplace" href={`/marketplaces/${a.marketplace.id}`} value={a.marketplace} />
            ),
          } satisfies DataTableColumn<AppDto>,
        ]
      : []),
    { accessor: "zone", title: "Zone", render: (a) => a.zone.name },
    {
      accessor: "state",
      title: "State",
      sortable: true,
      width: 220,
      render: (a) => (
        <Stack gap={4}>
          <StateBadge state={a.state} />
          <AppActivity app={a} compact />
        </Stack>
      ),
    },
    { accessor: "version", title: "Version", sortable: true, render: (a) => a.version || dash },
    {
      accessor: "sizeBytes",
      title: "Size",
      sortable: true,
      textAlign: "right",
      noWrap: true,
      render: (a) => (a.sizeBytes ? formatBytes(a.sizeBytes) : dash),
    },
    { accessor: "format", title: "Format", render: (a) => a.format || dash },
    { accessor: "hypervisor", title: "Hypervisor", render: (a) => a.hypervisor || dash },
    { accessor: "architecture", title: "Architecture", render: (a) => a.architecture || dash },
    { accessor: "tags", title: "Tags", render: (a) => <AppTags tags={a.tags} /> },
    { accessor: "owner", title: "Owner", render: (a) => a.owner.name },
  ];
}

interface AppsTableProps {
  list: ListUrlState<AppFilterName>;
  data: Page<AppDto> | undefined;
  isFetching: boolean;
  error: unknown;
  withMarketplace: boolean;
}

export function AppsTable({ list, data, isFetching, error, withMarketplace }: AppsTableProps) {
  return (
    <ResourceTable
      label="Apps"
      list={list}
      data={data}
      isFetching={isFetching}
      error={error}
      columns={columnsFor(withMarketplace)}
      noRecordsText="No apps match"
    />
  );
}

"use client";

import { useState } from "react";
import { ActionIcon, Badge, Code, Group, Select, Stack, Text } from "@mantine/core";
import { IconChevronDown, IconChevronRight } from "@tabler/icons-react";
import type { DataTableColumn } from "mantine-datatable";
import { FilterChips } from "@/components/ui/filter-chips";
import { formatDateTime } from "@/components/ui/format";
import { PageHeader } from "@/components/ui/page-header";
import { ResourceTable } from "@/components/ui/resource-table";
import { SearchInput } from "@/components/ui/search-input";
import { useListUrlState } from "@/components/ui/use-list-url-state";
import type { AuditEventDto } from "./api";
import { useAuditEvents } from "./queries";

// What the services record today; the free-text search finds anything else.
const OBJECT_TYPES = ["USER", "GROUP", "ZONE", "VDC", "API_TOKEN"];
const ACTIONS = [
  "session.sign-in",
  "session.sign-in-failed",
  "session.sign-out",
  "user.create",
  "user.update",
  "user.enable",
  "user.disable",
  "user.delete",
  "user.reset-password",
  "user.change-password",
  "user.update-profile",
  "token.create",
  "token.revoke",
  "group.create",
  "group.update",
  "group.delete",
  "group.add-member",
  "group.remove-member",
  "zone.create",
  "zone.update",
  "zone.delete",
  "vdc.create",
  "vdc.update",
  "vdc.delete",
];

const FILTER_LABELS = { objectType: "Object type", action: "Action" } as const;

export function AuditList() {
  const list = useListUrlState({ sort: "at", order: "desc", filters: ["objectType", "action"] as const });
  const events = useAuditEvents(list.query);
  const [expanded, setExpanded] = useState<number[]>([]);
  const toggle = (id: number) => setExpanded((ids) => (ids.includes(id) ? ids.filter((i) => i !== id) : [...ids, id]));

  const columns: DataTableColumn<AuditEventDto>[] = [
    {
      accessor: "details",
      title: "",
      width: 44,
      render: (e) => (
        <ActionIcon
          variant="subtle"
          size="sm"
          aria-label={`${expanded.includes(e.id) ? "Hide" : "Show"} details of event ${e.id}`}
          aria-expanded={expanded.includes(e.id)}
          onClick={() => toggle(e.id)}
        >
          {expanded.includes(e.id) ? (
            <IconChevronDown size={14} aria-hidden />
          ) : (
            <IconChevronRight size={14} aria-hidden />
          )}
        </ActionIcon>
      ),
    },
    { accessor: "at", title: "Time", sortable: true, render: (e) => formatDateTime(e.at, true) },
    { accessor: "actorName", title: "Actor", sortable: true },
    { accessor: "action", title: "Action", sortable: true, render: (e) => <Code>{e.action}</Code> },
    {
      accessor: "objectType",
      title: "Object type",
      sortable: true,
      render: (e) => (
        <Badge variant="light" tt="none">
          {e.objectType}
        </Badge>
      ),
    },
    {
      accessor: "objectName",
      title: "Object name",
      render: (e) =>
        e.objectName || (
          <Text span c="dimmed">
            —
          </Text>
        ),
    },
  ];

  const chips = (Object.keys(FILTER_LABELS) as (keyof typeof FILTER_LABELS)[]).flatMap((key) =>
    list.filters[key] ? [{ key, label: FILTER_LABELS[key], value: list.filters[key] }] : [],
  );

  return (
    <Stack gap="sm">
      <PageHeader title="Audit log" />
      <Group gap="sm" align="flex-end">
        <SearchInput
          value={list.params.q ?? ""}
          onChange={(q) => list.update({ q })}
          placeholder="Search actor, object, action…"
        />
        <Select
          aria-label="Filter by object type"
          placeholder="Any object type"
          data={OBJECT_TYPES}
          value={list.filters.objectType ?? null}
          onChange={(v) => list.update({ filters: { objectType: v } })}
          clearable
          w={180}
        />
        <Select
          aria-label="Filter by action"
          placeholder="Any action"
          data={ACTIONS}
          value={list.filters.action ?? null}
          onChange={(v) => list.update({ filters: { action: v } })}
          searchable
          clearable
          w={220}
        />
      </Group>
      <FilterChips filters={chips} onRemove={(key) => list.update({ filters: { [key]: null } })} />
      <ResourceTable
        label="Audit events"
        list={list}
        data={events.data}
        isFetching={events.isFetching}
        error={events.error}
        columns={columns}
        noRecordsText="No events match"
        rowExpansion={{
          trigger: "never",
          allowMultiple: true,
          expanded: { recordIds: expanded, onRecordIdsChange: (ids: unknown[]) => setExpanded(ids as number[]) },
          content: ({ record }) => <EventDetails event={record} />,
        }}
      />
    </Stack>
  );
}

function EventDetails({ event }: { event: AuditEventDto }) {
  return (
    <Stack gap={4} p="sm">
      <Text size="xs" c="dimmed">
        Zone {event.zoneName} · request {event.requestId} · object id {event.objectId || "—"}
      </Text>
      <Code block aria-label={`Details of event ${event.id}`}>
        {JSON.stringify(event.details, null, 2)}
      </Code>
    </Stack>
  );
}

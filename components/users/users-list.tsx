"use client";

import Link from "next/link";
import { Anchor, Badge, Group, Select, Stack } from "@mantine/core";
import type { DataTableColumn } from "mantine-datatable";
import { useSession } from "@/components/auth/session-context";
import { useBulkSelection } from "@/components/ui/bulk-actions";
import { useGroupOptions } from "@/components/groups/queries";
import { FilterChips } from "@/components/ui/filter-chips";
import { formatDateTime } from "@/components/ui/format";
import { PageHeader } from "@/components/ui/page-header";
import { ResourceTable } from "@/components/ui/resource-table";
import { SearchInput } from "@/components/ui/search-input";
import { StateBadge } from "@/components/ui/state-badge";
import { useListUrlState } from "@/components/ui/use-list-url-state";
import type { UserDto } from "./api";
import { CreateUserButton } from "./create-user-modal";
import { UserBulkActions } from "./user-bulk-actions";
import { useUsers } from "./queries";

const STATE_OPTIONS = [
  { value: "true", label: "Enabled" },
  { value: "false", label: "Disabled" },
];

const columns: DataTableColumn<UserDto>[] = [
  { accessor: "id", title: "ID", sortable: true, width: 70 },
  {
    accessor: "username",
    title: "Username",
    sortable: true,
    render: (u) => (
      <Anchor component={Link} href={`/users/${u.id}`}>
        {u.username}
      </Anchor>
    ),
  },
  { accessor: "displayName", title: "Display name", sortable: true },
  {
    accessor: "groups",
    title: "Groups",
    render: (u) => (
      <Group gap={4}>
        {u.groups.map((g) => (
          <Badge key={g.id} variant={g.id === u.primaryGroup.id ? "filled" : "light"} size="sm" tt="none">
            {g.name}
          </Badge>
        ))}
      </Group>
    ),
  },
  { accessor: "isAdmin", title: "Admin", render: (u) => (u.isAdmin ? <Badge color="grape">Admin</Badge> : null) },
  { accessor: "enabled", title: "State", render: (u) => <StateBadge state={u.enabled ? "ENABLED" : "DISABLED"} /> },
  { accessor: "createdAt", title: "Created", sortable: true, render: (u) => formatDateTime(u.createdAt) },
];

export function UsersList() {
  const me = useSession().user;
  const list = useListUrlState({ sort: "username", filters: ["groupId", "enabled"] as const });
  const users = useUsers(list.query);
  const groupOptions = useGroupOptions();
  const selection = useBulkSelection(list.query, users.data?.items);

  const groupName = groupOptions.find((g) => g.value === list.filters.groupId)?.label ?? list.filters.groupId;
  const chips = [
    ...(list.filters.enabled
      ? [{ key: "enabled", label: "State", value: list.filters.enabled === "true" ? "Enabled" : "Disabled" }]
      : []),
    ...(list.filters.groupId ? [{ key: "groupId", label: "Group", value: groupName ?? "" }] : []),
  ];

  return (
    <Stack gap="sm">
      <PageHeader title="Users">
        <CreateUserButton />
      </PageHeader>
      <Group gap="sm" align="flex-end">
        <SearchInput value={list.params.q ?? ""} onChange={(q) => list.update({ q })} placeholder="Search users…" />
        <Select
          aria-label="Filter by state"
          placeholder="Any state"
          data={STATE_OPTIONS}
          value={list.filters.enabled ?? null}
          onChange={(v) => list.update({ filters: { enabled: v } })}
          clearable
          w={150}
        />
        <Select
          aria-label="Filter by group"
          placeholder="Any group"
          data={groupOptions}
          value={list.filters.groupId ?? null}
          onChange={(v) => list.update({ filters: { groupId: v } })}
          searchable
          clearable
          w={200}
        />
      </Group>
      <FilterChips filters={chips} onRemove={(key) => list.update({ filters: { [key]: null } })} />
      <UserBulkActions selected={selection.selected} onDone={selection.clear} />
      <ResourceTable
        label="Users"
        list={list}
        data={users.data}
        isFetching={users.isFetching}
        error={users.error}
        columns={columns}
        noRecordsText="No users match"
        selection={{
          ...selection,
          describe: (u) => u.username,
          // The API refuses to disable or delete yourself; don't offer it.
          selectable: (u) => u.id !== me.id,
        }}
      />
    </Stack>
  );
}

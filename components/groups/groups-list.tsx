"use client";

import Link from "next/link";
import { Anchor, Badge, Group, Stack, Text } from "@mantine/core";
import type { DataTableColumn } from "mantine-datatable";
import { useSession } from "@/components/auth/session-context";
import { DeleteAction } from "@/components/ui/delete-action";
import { PageHeader } from "@/components/ui/page-header";
import { ResourceTable } from "@/components/ui/resource-table";
import { SearchInput } from "@/components/ui/search-input";
import { useListUrlState } from "@/components/ui/use-list-url-state";
import type { GroupDto } from "./api";
import { CreateGroupButton } from "./create-group-modal";
import { CreateRightsBadges } from "./group-fields";
import { useDeleteGroup, useGroups } from "./queries";

function deleteRefusal(g: GroupDto): string | undefined {
  if (g.builtin) return "Built-in groups cannot be deleted";
  if (g.memberCount > 0) return "Remove the members first";
  return undefined;
}

export function GroupsList() {
  const { isAdmin } = useSession().user;
  const list = useListUrlState({ sort: "name" });
  const groups = useGroups(list.query);
  const remove = useDeleteGroup();

  const columns: DataTableColumn<GroupDto>[] = [
    {
      accessor: "name",
      title: "Name",
      sortable: true,
      render: (g) => (
        <Group gap="xs">
          <Anchor component={Link} href={`/groups/${g.id}`}>
            {g.name}
          </Anchor>
          {g.builtin ? (
            <Badge size="sm" variant="light" color="gray">
              Built-in
            </Badge>
          ) : null}
        </Group>
      ),
    },
    {
      accessor: "description",
      title: "Description",
      render: (g) => (
        <Text size="sm" lineClamp={2}>
          {g.description}
        </Text>
      ),
    },
    { accessor: "memberCount", title: "Members", textAlign: "right", width: 100 },
    { accessor: "createRights", title: "Create rights", render: (g) => <CreateRightsBadges rights={g.createRights} /> },
    ...(isAdmin
      ? [
          {
            accessor: "actions",
            title: "Actions",
            textAlign: "right",
            width: 90,
            render: (g) => (
              <DeleteAction
                kind="group"
                name={g.name}
                consequence={`The group ${g.name} and its create rights will be deleted; VDCs lose it.`}
                disabledReason={deleteRefusal(g)}
                onDelete={() => remove.mutateAsync(g.id)}
              />
            ),
          } satisfies DataTableColumn<GroupDto>,
        ]
      : []),
  ];

  return (
    <Stack gap="sm">
      <PageHeader title="Groups">{isAdmin ? <CreateGroupButton /> : null}</PageHeader>
      <SearchInput value={list.params.q ?? ""} onChange={(q) => list.update({ q })} placeholder="Search groups…" />
      <ResourceTable
        label="Groups"
        list={list}
        data={groups.data}
        isFetching={groups.isFetching}
        error={groups.error}
        columns={columns}
        noRecordsText="No groups match"
      />
    </Stack>
  );
}

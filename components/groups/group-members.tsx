"use client";

import { useState } from "react";
import Link from "next/link";
import { Anchor, Badge, Button, Group, Select, Stack } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { IconUserPlus } from "@tabler/icons-react";
import { DataTable } from "mantine-datatable";
import { confirmDelete } from "@/components/ui/confirm-delete";
import { notifyError, notifySuccess } from "@/components/ui/notify";
import { useUsers } from "@/components/users/queries";
import type { GroupDetailDto } from "./api";
import { useGroupMembership } from "./queries";

type Member = GroupDetailDto["members"][number];

export function GroupMembers({ group, canEdit }: { group: GroupDetailDto; canEdit: boolean }) {
  const membership = useGroupMembership();
  const remove = (m: Member) =>
    confirmDelete({
      title: `Remove ${m.name} from ${group.name}?`,
      message: `${m.name} loses what members of ${group.name} may use and create.`,
      confirmLabel: "Remove",
      onConfirm: () =>
        membership.mutate(
          { id: group.id, userId: m.id, action: "remove" },
          {
            onSuccess: () => notifySuccess(`${m.name} removed from ${group.name}`),
            onError: (err) => notifyError(err),
          },
        ),
    });

  return (
    <Stack gap="sm">
      {canEdit ? <AddMember group={group} /> : null}
      <DataTable<Member>
        aria-label="Members"
        withTableBorder
        borderRadius="sm"
        minHeight={group.members.length ? undefined : 150}
        records={group.members}
        noRecordsText="No members"
        columns={[
          {
            accessor: "name",
            title: "User",
            render: (m) =>
              canEdit ? (
                <Anchor component={Link} href={`/users/${m.id}`}>
                  {m.name}
                </Anchor>
              ) : (
                m.name
              ),
          },
          {
            accessor: "primary",
            title: "Primary group",
            render: (m) => (m.primary ? <Badge variant="light">Primary</Badge> : null),
          },
          ...(canEdit
            ? [
                {
                  accessor: "actions",
                  title: "Actions",
                  textAlign: "right" as const,
                  render: (m: Member) => (
                    <Button
                      size="xs"
                      variant="subtle"
                      color="red"
                      aria-label={`Remove ${m.name}`}
                      disabled={m.primary}
                      title={m.primary ? "This is the user's primary group; change it first" : undefined}
                      onClick={() => remove(m)}
                    >
                      Remove
                    </Button>
                  ),
                },
              ]
            : []),
        ]}
      />
    </Stack>
  );
}

function AddMember({ group }: { group: GroupDetailDto }) {
  const [search, setSearch] = useState("");
  const [userId, setUserId] = useState<string | null>(null);
  const [q] = useDebouncedValue(search, 250);
  const users = useUsers({ page: 1, perPage: 20, sort: "username", order: "asc", q: q || undefined });
  const membership = useGroupMembership();
  const memberIds = new Set(group.members.map((m) => m.id));
  const options = (users.data?.items ?? [])
    .filter((u) => !memberIds.has(u.id))
    .map((u) => ({ value: String(u.id), label: u.username }));

  const add = () => {
    if (!userId) return;
    const name = options.find((o) => o.value === userId)?.label ?? userId;
    membership.mutate(
      { id: group.id, userId: Number(userId), action: "add" },
      {
        onSuccess: () => {
          notifySuccess(`${name} added to ${group.name}`);
          setUserId(null);
          setSearch("");
        },
        onError: (err) => notifyError(err),
      },
    );
  };

  return (
    <Group align="flex-end" gap="sm">
      <Select
        label="User"
        placeholder="Search users…"
        data={options}
        searchable
        searchValue={search}
        onSearchChange={setSearch}
        value={userId}
        onChange={setUserId}
        nothingFoundMessage={users.isFetching ? "Searching…" : "No users to add"}
        filter={({ options: all }) => all}
        w={260}
      />
      <Button
        leftSection={<IconUserPlus size={16} aria-hidden />}
        onClick={add}
        disabled={!userId}
        loading={membership.isPending}
      >
        Add member
      </Button>
    </Group>
  );
}

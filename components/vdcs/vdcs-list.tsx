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
import type { VdcDto } from "./api";
import { useDeleteVdc, useVdcs } from "./queries";
import { VdcFormButton } from "./vdc-form-modal";

export const vdcDeleteConsequence = (v: VdcDto) =>
  `Members of ${v.groups.length} group(s) lose access to the ${v.resources.length} resource(s) this VDC grants. The groups and resources themselves stay.`;

export function GroupBadges({ groups }: { groups: VdcDto["groups"] }) {
  return (
    <Group gap={4}>
      {groups.map((g) => (
        <Badge key={g.id} size="sm" variant="light" tt="none">
          {g.name}
        </Badge>
      ))}
    </Group>
  );
}

export function VdcsList() {
  const { isAdmin } = useSession().user;
  const list = useListUrlState({ sort: "name" });
  const vdcs = useVdcs(list.query);
  const remove = useDeleteVdc();

  const columns: DataTableColumn<VdcDto>[] = [
    {
      accessor: "name",
      title: "Name",
      sortable: true,
      render: (v) => (
        <Anchor component={Link} href={`/vdcs/${v.id}`}>
          {v.name}
        </Anchor>
      ),
    },
    {
      accessor: "description",
      title: "Description",
      render: (v) => (
        <Text size="sm" lineClamp={2}>
          {v.description}
        </Text>
      ),
    },
    { accessor: "groups", title: "Groups", render: (v) => <GroupBadges groups={v.groups} /> },
    { accessor: "resources", title: "Resources", textAlign: "right", width: 110, render: (v) => v.resources.length },
    ...(isAdmin
      ? [
          {
            accessor: "actions",
            title: "Actions",
            textAlign: "right",
            width: 90,
            render: (v) => (
              <DeleteAction
                kind="VDC"
                name={v.name}
                consequence={vdcDeleteConsequence(v)}
                onDelete={() => remove.mutateAsync(v.id)}
              />
            ),
          } satisfies DataTableColumn<VdcDto>,
        ]
      : []),
  ];

  return (
    <Stack gap="sm">
      <PageHeader title="VDCs">{isAdmin ? <VdcFormButton /> : null}</PageHeader>
      <SearchInput value={list.params.q ?? ""} onChange={(q) => list.update({ q })} placeholder="Search VDCs…" />
      <ResourceTable
        label="VDCs"
        list={list}
        data={vdcs.data}
        isFetching={vdcs.isFetching}
        error={vdcs.error}
        columns={columns}
        noRecordsText="No VDCs match"
      />
    </Stack>
  );
}

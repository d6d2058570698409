"use client";

import Link from "next/link";
import { Anchor, Group, Stack, Text } from "@mantine/core";
import type { DataTableColumn } from "mantine-datatable";
import { useSession } from "@/components/auth/session-context";
import { BulkActions, useBulkSelection } from "@/components/ui/bulk-actions";
import { formatDateTime } from "@/components/ui/format";
import { PageHeader } from "@/components/ui/page-header";
import { ResourceTable } from "@/components/ui/resource-table";
import { SearchInput } from "@/components/ui/search-input";
import { useListUrlState } from "@/components/ui/use-list-url-state";
import type { VmTemplateDto } from "./api";
import { useVmTemplates } from "./queries";
import { useVmTemplateBulkActions } from "./template-bulk-actions";
import { CreateVmTemplateButton, ImportVmTemplateButton } from "./vm-template-modals";

export const VM_TEMPLATE_LIST_DEFAULTS = { sort: "id", order: "desc" } as const;

const dash = (
  <Text span c="dimmed">
    —
  </Text>
);

const columns: DataTableColumn<VmTemplateDto>[] = [
  { accessor: "id", title: "ID", sortable: true, width: 70 },
  {
    accessor: "name",
    title: "Name",
    sortable: true,
    render: (t) => (
      <Anchor component={Link} href={`/vm-templates/${t.id}`}>
        {t.name}
      </Anchor>
    ),
  },
  { accessor: "cpu", title: "CPU", textAlign: "right", render: (t) => (t.cpu === null ? dash : t.cpu) },
  {
    accessor: "memoryMb",
    title: "Memory",
    textAlign: "right",
    render: (t) => (t.memoryMb === null ? dash : `${t.memoryMb.toLocaleString()} MB`),
  },
  {
    accessor: "disks",
    title: "Disks",
    textAlign: "right",
    render: (t) => {
      const missing = t.disks.filter((d) => d.imageId !== null && !d.image).length;
      return missing ? `${t.disks.length} (${missing} missing)` : t.disks.length;
    },
  },
  { accessor: "owner", title: "Owner", render: (t) => t.owner.name },
  { accessor: "group", title: "Group", render: (t) => t.group.name },
  { accessor: "createdAt", title: "Created", sortable: true, render: (t) => formatDateTime(t.createdAt) },
];

export function VmTemplatesList() {
  const { isAdmin, createRights } = useSession().user;
  const list = useListUrlState(VM_TEMPLATE_LIST_DEFAULTS);
  const templates = useVmTemplates(list.query);
  const selection = useBulkSelection(list.query, templates.data?.items);
  const bulkActions = useVmTemplateBulkActions();
  const canCreate = isAdmin || createRights.includes("VM_TEMPLATE");
  return (
    <Stack gap="sm">
      <PageHeader title="VM templates">
        {canCreate ? (
          <>
            <CreateVmTemplateButton />
            <ImportVmTemplateButton />
          </>
        ) : null}
      </PageHeader>
      <Group gap="sm">
        <SearchInput
          value={list.params.q ?? ""}
          onChange={(q) => list.update({ q })}
          placeholder="Search VM templates…"
        />
      </Group>
      <BulkActions
        selected={selection.selected}
        onClear={selection.clear}
        describe={(t) => t.name}
        noun={{ one: "VM template" }}
        actions={bulkActions}
      />
      <ResourceTable
        label="VM templates"
        list={list}
        data={templates.data}
        isFetching={templates.isFetching}
        error={templates.error}
        columns={columns}
        noRecordsText="No VM templates match"
        selection={{ ...selection, describe: (t) => t.name }}
      />
    </Stack>
  );
}

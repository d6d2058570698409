"use client";

import Link from "next/link";
import { Anchor, Group, Stack } from "@mantine/core";
import type { DataTableColumn } from "mantine-datatable";
import { useSession } from "@/components/auth/session-context";
import { BulkActions, useBulkSelection } from "@/components/ui/bulk-actions";
import { formatDateTime } from "@/components/ui/format";
import { PageHeader } from "@/components/ui/page-header";
import { ResourceTable } from "@/components/ui/resource-table";
import { SearchInput } from "@/components/ui/search-input";
import { useListUrlState } from "@/components/ui/use-list-url-state";
import type { ServiceTemplateDto } from "./api";
import { useServiceTemplates } from "./queries";
import { useServiceTemplateBulkActions } from "./template-bulk-actions";
import { CreateServiceTemplateButton, ImportServiceTemplateButton } from "./service-template-modals";

const columns: DataTableColumn<ServiceTemplateDto>[] = [
  { accessor: "id", title: "ID", sortable: true, width: 70 },
  {
    accessor: "name",
    title: "Name",
    sortable: true,
    render: (s) => (
      <Anchor component={Link} href={`/service-templates/${s.id}`}>
        {s.name}
      </Anchor>
    ),
  },
  { accessor: "deployment", title: "Deployment" },
  { accessor: "roles", title: "Roles", render: (s) => s.roles.map((r) => `${r.name} ×${r.cardinality}`).join(", ") },
  { accessor: "owner", title: "Owner", render: (s) => s.owner.name },
  { accessor: "group", title: "Group", render: (s) => s.group.name },
  { accessor: "createdAt", title: "Created", sortable: true, render: (s) => formatDateTime(s.createdAt) },
];

export function ServiceTemplatesList() {
  const { isAdmin, createRights } = useSession().user;
  const list = useListUrlState({ sort: "id", order: "desc" });
  const templates = useServiceTemplates(list.query);
  const selection = useBulkSelection(list.query, templates.data?.items);
  const bulkActions = useServiceTemplateBulkActions();
  const canCreate = isAdmin || createRights.includes("SERVICE_TEMPLATE");
  return (
    <Stack gap="sm">
      <PageHeader title="Service templates">
        {canCreate ? (
          <>
            <CreateServiceTemplateButton />
            <ImportServiceTemplateButton />
          </>
        ) : null}
      </PageHeader>
      <Group gap="sm">
        <SearchInput
          value={list.params.q ?? ""}
          onChange={(q) => list.update({ q })}
          placeholder="Search service templates…"
        />
      </Group>
      <BulkActions
        selected={selection.selected}
        onClear={selection.clear}
        describe={(t) => t.name}
        noun={{ one: "service template" }}
        actions={bulkActions}
      />
      <ResourceTable
        label="Service templates"
        list={list}
        data={templates.data}
        isFetching={templates.isFetching}
        error={templates.error}
        columns={columns}
        noRecordsText="No service templates match"
        selection={{ ...selection, describe: (t) => t.name }}
      />
    </Stack>
  );
}

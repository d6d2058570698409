"use client";

import type { ReactNode } from "react";
import Link from "next/link";
import { Anchor, Group, Stack, Text } from "@mantine/core";
import type { UseQueryResult } from "@tanstack/react-query";
import type { DataTableColumn } from "mantine-datatable";
import type { ListParams, Page } from "@/components/api/types";
import { useSession } from "@/components/auth/session-context";
import { PageHeader } from "./page-header";
import { ResourceTable } from "./resource-table";
import { SearchInput } from "./search-input";
import { useListUrlState } from "./use-list-url-state";

interface Named {
  id: number;
  name: string;
  description: string;
}

/** The name, linking to the object's page, with its badges (built-in, local…). */
export function nameColumn<T extends Named>(basePath: string, badges?: (row: T) => ReactNode): DataTableColumn<T> {
  return {
    accessor: "name",
    title: "Name",
    sortable: true,
    render: (row) => (
      <Group gap="xs">
        <Anchor component={Link} href={`${basePath}/${row.id}`}>
          {row.name}
        </Anchor>
        {badges?.(row)}
      </Group>
    ),
  };
}

export function descriptionColumn<T extends Named>(): DataTableColumn<T> {
  return {
    accessor: "description",
    title: "Description",
    render: (row) => (
      <Text size="sm" lineClamp={2}>
        {row.description}
      </Text>
    ),
  };
}

interface SimpleListPageProps<T extends Named> {
  /** "Groups": the page's title and the table's name */
  title: string;
  /** "groups", as in "Search groups…" */
  plural: string;
  useItems: (query: ListParams) => Pick<UseQueryResult<Page<T>>, "data" | "isFetching" | "error">;
  columns: DataTableColumn<T>[];
  /** what administrators may do: create (in the toolbar) and delete (in each row) */
  create: ReactNode;
  deleteAction: (row: T) => ReactNode;
}

/** An administrators' list sorted by name: title, create button, search and the table. */
export function SimpleListPage<T extends Named>(props: SimpleListPageProps<T>) {
  const { title, plural, useItems, columns, create, deleteAction } = props;
  const { isAdmin } = useSession().user;
  const list = useListUrlState({ sort: "name" });
  const items = useItems(list.query);
  const actions: DataTableColumn<T> = {
    accessor: "actions",
    title: "Actions",
    textAlign: "right",
    width: 90,
    render: deleteAction,
  };
  return (
    <Stack gap="sm">
      <PageHeader title={title}>{isAdmin ? create : null}</PageHeader>
      <SearchInput value={list.params.q ?? ""} onChange={(q) => list.update({ q })} placeholder={`Search ${plural}…`} />
      <ResourceTable
        label={title}
        list={list}
        data={items.data}
        isFetching={items.isFetching}
        error={items.error}
        columns={isAdmin ? [...columns, actions] : columns}
        noRecordsText={`No ${plural} match`}
      />
    </Stack>
  );
}

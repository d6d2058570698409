"use client";

import { Alert } from "@mantine/core";
import { DataTable, type DataTableColumn, type DataTableRowExpansionProps } from "mantine-datatable";
import type { Page } from "@/components/api/types";
import { PAGE_SIZES, type ListUrlState } from "./use-list-url-state";

export interface TableSelection<T> {
  selected: T[];
  onChange: (records: T[]) => void;
  /** names the row in its checkbox's accessible name ("Select alice") */
  describe: (record: T) => string;
  selectable?: (record: T) => boolean;
}

interface ResourceTableProps<T extends { id: number | string }> {
  /** accessible name of the table */
  label: string;
  list: Pick<ListUrlState<never>, "params" | "update">;
  data: Page<T> | undefined;
  isFetching: boolean;
  error?: unknown;
  columns: DataTableColumn<T>[];
  noRecordsText: string;
  selection?: TableSelection<T>;
  rowExpansion?: DataTableRowExpansionProps<T>;
}

/**
 * The sort after a click on a column's header: the column sorted last turns around; another
 * column starts ascending (mantine-datatable would carry the last column's direction over, so a
 * list newest-first would sort names Z to A).
 */
export function nextSort(current: string, clicked: string, direction: "asc" | "desc") {
  return { sort: clicked, order: clicked === current ? direction : ("asc" as const) };
}

/**
 * mantine-datatable bound to a list's URL state: server-side paging and sorting (a sortable
 * column's accessor is the API's sort key), optional multi-select, error and empty states.
 */
export function ResourceTable<T extends { id: number | string }>(props: ResourceTableProps<T>) {
  const { label, list, data, isFetching, error, columns, noRecordsText, selection, rowExpansion } = props;
  const { params, update } = list;
  const selectionProps = selection
    ? {
        selectedRecords: selection.selected,
        onSelectedRecordsChange: selection.onChange,
        isRecordSelectable: selection.selectable,
        getRecordSelectionCheckboxProps: (r: T) => ({ "aria-label": `Select ${selection.describe(r)}` }),
        allRecordsSelectionCheckboxProps: { "aria-label": "Select all rows" },
      }
    : {};

  return (
    <>
      {error ? (
        <Alert color="red" title="Could not load" role="alert">
          {error instanceof Error ? error.message : String(error)}
        </Alert>
      ) : null}
      <DataTable<T>
        aria-label={label}
        withTableBorder
        borderRadius="sm"
        highlightOnHover
        minHeight={data?.items.length ? undefined : 180}
        fetching={isFetching && !data}
        records={data?.items ?? []}
        columns={columns}
        totalRecords={data?.total ?? 0}
        recordsPerPage={params.perPage}
        page={params.page}
        onPageChange={(page) => update({ page })}
        recordsPerPageOptions={PAGE_SIZES}
        onRecordsPerPageChange={(perPage) => update({ perPage })}
        recordsPerPageLabel="Rows per page"
        paginationText={({ from, to, totalRecords }) => `${from}–${to} of ${totalRecords}`}
        sortStatus={{ columnAccessor: params.sort, direction: params.order }}
        onSortStatusChange={(s) => update(nextSort(params.sort, String(s.columnAccessor), s.direction))}
        noRecordsText={noRecordsText}
        rowExpansion={rowExpansion}
        {...selectionProps}
      />
    </>
  );
}

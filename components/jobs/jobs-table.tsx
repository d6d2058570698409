"use client";

import Link from "next/link";
import { Anchor, Button, Group, Stack, Text } from "@mantine/core";
import type { DataTableColumn } from "mantine-datatable";
import { useSession } from "@/components/auth/session-context";
import { formatDateTime } from "@/components/ui/format";
import { ResourceTable } from "@/components/ui/resource-table";
import { SearchInput } from "@/components/ui/search-input";
import type { ListUrlState } from "@/components/ui/use-list-url-state";
import type { JobDto, JobFilters } from "./api";
import { CancelJobButton } from "./cancel-job-button";
import { JobProgress, JobStateBadge } from "./job-progress";
import { isActive, useJobs } from "./queries";

export const JOB_LIST_DEFAULTS = { sort: "createdAt", order: "desc", filters: ["show"] } as const;
export type JobFilterName = "show";

/** The "All / Active / Failed" toggles, kept in the URL as ?show=active|failed. */
const SHOW_OPTIONS = [
  { value: "all", label: "All" },
  { value: "active", label: "Active" },
  { value: "failed", label: "Failed" },
];
const SHOW_QUERY: Record<string, Partial<JobFilters>> = {
  active: { active: "true" },
  failed: { state: "FAILED" },
};

/** Where a job's object lives in the console (more kinds as they come). */
const OBJECT_PAGES: Record<string, string> = {
  IMAGE: "/images",
  DATASTORE: "/datastores",
  MARKETPLACE: "/marketplaces",
  MARKETPLACE_APP: "/apps",
};

function TitleCell({ job }: { job: JobDto }) {
  const page = job.objectId !== null ? OBJECT_PAGES[job.objectType] : undefined;
  return (
    <Stack gap={2}>
      {page ? (
        <Anchor component={Link} href={`${page}/${job.objectId}`} size="sm">
          {job.title}
        </Anchor>
      ) : (
        <Text size="sm">{job.title}</Text>
      )}
      {job.state === "FAILED" && job.error ? (
        <Text size="xs" c="red">
          {job.error}
        </Text>
      ) : null}
    </Stack>
  );
}

function columnsFor(me: { id: number; isAdmin: boolean }): DataTableColumn<JobDto>[] {
  return [
    { accessor: "id", title: "ID", sortable: true, width: 70 },
    { accessor: "title", title: "Title", render: (j) => <TitleCell job={j} /> },
    {
      accessor: "state",
      title: "State",
      sortable: true,
      width: 280,
      render: (j) => (
        <Stack gap={4}>
          <JobStateBadge state={j.state} />
          {isActive(j) ? <JobProgress job={j} label={`Progress of job ${j.id}`} compact /> : null}
        </Stack>
      ),
    },
    { accessor: "attempts", title: "Attempts", render: (j) => `${j.attempts} / ${j.maxAttempts}` },
    {
      accessor: "createdBy",
      title: "Started by",
      render: (j) =>
        j.createdBy?.name ?? (
          <Text span c="dimmed">
            system
          </Text>
        ),
    },
    { accessor: "createdAt", title: "Created", sortable: true, render: (j) => formatDateTime(j.createdAt) },
    {
      accessor: "actions",
      title: "Actions",
      render: (j) =>
        // the API lets a job's starter and admins cancel it
        isActive(j) && (me.isAdmin || j.createdBy?.id === me.id) ? (
          <CancelJobButton jobId={j.id} disabled={j.cancelRequested} />
        ) : null,
    },
  ];
}

interface JobsTableProps {
  list: ListUrlState<JobFilterName>;
  /** an object's Jobs tab: only the jobs that worked on it */
  object?: { type: string; id: number };
}

/** Jobs, newest first, with live progress while any of them runs. */
export function JobsTable({ list, object }: JobsTableProps) {
  const me = useSession().user;
  const show = list.filters.show ?? "all";
  const { show: _show, ...query } = list.query;
  const jobs = useJobs({
    ...query,
    ...SHOW_QUERY[show],
    ...(object ? { objectType: object.type, objectId: object.id } : {}),
  });

  return (
    <Stack gap="sm">
      <Group gap="md" align="center">
        <SearchInput value={list.params.q ?? ""} onChange={(q) => list.update({ q })} placeholder="Search jobs…" />
        <Button.Group aria-label="Show jobs">
          {SHOW_OPTIONS.map((o) => (
            <Button
              key={o.value}
              size="xs"
              variant={show === o.value ? "filled" : "default"}
              aria-pressed={show === o.value}
              onClick={() => list.update({ filters: { show: o.value === "all" ? null : o.value } })}
            >
              {o.label}
            </Button>
          ))}
        </Button.Group>
      </Group>
      <ResourceTable
        label="Jobs"
        list={list}
        data={jobs.data}
        isFetching={jobs.isFetching}
        error={jobs.error}
        columns={columnsFor(me)}
        noRecordsText={show === "active" ? "No job is running" : "No jobs"}
      />
    </Stack>
  );
}

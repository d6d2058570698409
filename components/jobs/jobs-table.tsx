"use client";

import { useState } from "react";
import Link from "next/link";
import { ActionIcon, Anchor, Button, Group, Stack, Text } from "@mantine/core";
import { IconChevronDown, IconChevronRight } from "@tabler/icons-react";
import type { DataTableColumn } from "mantine-datatable";
import { useSession } from "@/components/auth/session-context";
import { BulkActions, useBulkSelection } from "@/components/ui/bulk-actions";
import { formatDateTime } from "@/components/ui/format";
import { ResourceTable } from "@/components/ui/resource-table";
import { SearchInput } from "@/components/ui/search-input";
import type { ListUrlState } from "@/components/ui/use-list-url-state";
import type { JobDto, JobFilters } from "./api";
import { CancelJobButton } from "./cancel-job-button";
import { cancelRefusal, useJobBulkActions } from "./job-bulk-actions";
import { JobPlan } from "./job-plan";
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

const jobName = (j: JobDto) => `Job ${j.id}: ${j.title}`;

/** Opens and closes a job's row, which shows the job's plan. */
function PlanToggle({ job, expanded, onToggle }: { job: JobDto; expanded: boolean; onToggle: () => void }) {
  return (
    <ActionIcon
      variant="subtle"
      size="sm"
      aria-label={`${expanded ? "Hide" : "Show"} plan of job ${job.id}`}
      aria-expanded={expanded}
      onClick={onToggle}
    >
      {expanded ? <IconChevronDown size={14} aria-hidden /> : <IconChevronRight size={14} aria-hidden />}
    </ActionIcon>
  );
}

function columnsFor(
  me: { id: number; isAdmin: boolean },
  expanded: number[],
  toggle: (id: number) => void,
): DataTableColumn<JobDto>[] {
  return [
    {
      accessor: "plan",
      title: "",
      width: 44,
      render: (j) => <PlanToggle job={j} expanded={expanded.includes(j.id)} onToggle={() => toggle(j.id)} />,
    },
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

/** Jobs, newest first, with live progress while any of them runs; a row opens on its plan. */
export function JobsTable({ list, object }: JobsTableProps) {
  const me = useSession().user;
  const [expanded, setExpanded] = useState<number[]>([]);
  const toggle = (id: number) => setExpanded((ids) => (ids.includes(id) ? ids.filter((i) => i !== id) : [...ids, id]));
  const show = list.filters.show ?? "all";
  const { show: _show, ...query } = list.query;
  const jobs = useJobs({
    ...query,
    ...SHOW_QUERY[show],
    ...(object ? { objectType: object.type, objectId: object.id } : {}),
  });
  const selection = useBulkSelection(list.query, jobs.data?.items);
  const bulkActions = useJobBulkActions();

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
      <BulkActions
        selected={selection.selected}
        onClear={selection.clear}
        describe={jobName}
        noun={{ one: "job" }}
        actions={bulkActions}
      />
      <ResourceTable
        label="Jobs"
        list={list}
        data={jobs.data}
        isFetching={jobs.isFetching}
        error={jobs.error}
        columns={columnsFor(me, expanded, toggle)}
        noRecordsText={show === "active" ? "No job is running" : "No jobs"}
        // cancelling is the only bulk action: an ended job, or another user's, is not offered
        selection={{ ...selection, describe: jobName, selectable: (j) => !cancelRefusal(me, j) }}
        rowExpansion={{
          trigger: "never",
          allowMultiple: true,
          expanded: { recordIds: expanded, onRecordIdsChange: (ids: unknown[]) => setExpanded(ids as number[]) },
          content: ({ record }) => <JobPlan jobId={record.id} />,
        }}
      />
    </Stack>
  );
}

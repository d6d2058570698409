"use client";

import { Stack } from "@mantine/core";
import { PageHeader } from "@/components/ui/page-header";
import { useListUrlState } from "@/components/ui/use-list-url-state";
import { JOB_LIST_DEFAULTS, JobsTable } from "./jobs-table";

export function JobsList() {
  const list = useListUrlState(JOB_LIST_DEFAULTS);
  return (
    <Stack gap="sm">
      <PageHeader title="Jobs" />
      <JobsTable list={list} />
    </Stack>
  );
}

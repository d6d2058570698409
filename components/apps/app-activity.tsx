"use client";

import { Group, Stack } from "@mantine/core";
import { useSession } from "@/components/auth/session-context";
import { isJobActive } from "@/components/images/image-state";
import { CancelJobButton } from "@/components/jobs/cancel-job-button";
import { JobProgress } from "@/components/jobs/job-progress";
import type { AppDto } from "./api";

/** The live bar of the job moving an app's bytes (a publish), and its Cancel button; nothing when the app rests. */
export function AppActivity({
  app,
  compact,
  withControls,
}: {
  app: AppDto;
  compact?: boolean;
  withControls?: boolean;
}) {
  const me = useSession().user;
  const job = app.job;
  if (!job || !isJobActive(job)) return null;
  // the API lets a job's starter and admins cancel it
  const canCancel = me.isAdmin || job.createdById === me.id;
  return (
    <Stack gap={6}>
      <JobProgress job={job} label={`Transfer of ${app.name}`} compact={compact} />
      {withControls && canCancel ? (
        <Group>
          <CancelJobButton jobId={job.id} disabled={job.cancelRequested} size={compact ? "xs" : "sm"} />
        </Group>
      ) : null}
    </Stack>
  );
}

"use client";

import { useSession } from "@/components/auth/session-context";
import type { BulkAction } from "@/components/ui/bulk-actions";
import type { JobDto } from "./api";
import { isActive, useCancelJob } from "./queries";

/** Why `me` may not cancel the job, if so: the API lets its starter and admins cancel a running one. */
export function cancelRefusal(me: { id: number; isAdmin: boolean }, job: JobDto): string | undefined {
  if (!isActive(job)) return `It has already ended (${job.state.toLowerCase()})`;
  if (job.cancelRequested) return "Its cancellation was already asked for";
  if (!me.isAdmin && job.createdBy?.id !== me.id) return "Only the user who started it or an admin can cancel it";
  return undefined;
}

/** "Cancel" for the selected queued or running jobs. */
export function useJobBulkActions(): BulkAction<JobDto>[] {
  const me = useSession().user;
  const cancel = useCancelJob();
  return [
    {
      label: "Cancel",
      color: "red",
      message: "Each job stops at its next step and undoes what it did; the object it worked on says what happened.",
      applies: (j) => cancelRefusal(me, j),
      run: (j) => cancel.mutateAsync(j.id),
    },
  ];
}

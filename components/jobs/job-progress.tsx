import { StateBadge } from "@/components/ui/state-badge";
import { TransferProgress } from "@/components/transfer/transfer-progress";

/** The fields a job and an image's job summary share. */
export interface JobLike {
  state: string;
  phase: string;
  bytesDone: number;
  bytesTotal: number | null;
  rateBps: number;
  cancelRequested?: boolean;
}

/** Job states in the console's fixed colours (StateBadge): running blue, failed red… */
const BADGE_STATE: Record<string, string> = {
  QUEUED: "LOCKED",
  RUNNING: "INIT",
  SUCCEEDED: "READY",
  FAILED: "ERROR",
  CANCELLED: "DISABLED",
};

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1).toLowerCase();

export function JobStateBadge({ state }: { state: string }) {
  return <StateBadge state={BADGE_STATE[state] ?? state} label={cap(state)} />;
}

/** "Queued", "Cancelling…", or the job's phase ("Transferring", "Converting qcow2 to raw"). */
export function jobStatusText(job: JobLike): string {
  if (job.cancelRequested) return "Cancelling…";
  if (job.state === "QUEUED") return "Queued";
  return job.phase ? job.phase.charAt(0).toUpperCase() + job.phase.slice(1) : cap(job.state);
}

/** A queued or running job's bar, from the numbers the job persists (never guessed). */
export function JobProgress({ job, label, compact }: { job: JobLike; label: string; compact?: boolean }) {
  return (
    <TransferProgress
      label={label}
      bytesDone={job.bytesDone}
      // a queued job has moved nothing yet: no total to show a percentage of
      bytesTotal={job.state === "QUEUED" ? null : job.bytesTotal}
      rateBps={job.rateBps}
      status={jobStatusText(job)}
      compact={compact}
    />
  );
}

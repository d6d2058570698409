"use client";

import { Alert, Badge, Group, Loader, Text, Timeline } from "@mantine/core";
import type { JobStepDto } from "./api";
import { useJob } from "./queries";

/** Step states in the console's colours; a compensated step is shown as undone. */
const STEP_BADGES: Record<JobStepDto["state"], { color: string; label: string }> = {
  PENDING: { color: "gray", label: "Pending" },
  RUNNING: { color: "blue", label: "Running" },
  DONE: { color: "green", label: "Done" },
  FAILED: { color: "red", label: "Failed" },
  COMPENSATED: { color: "gray", label: "Undone" },
  UNDO_FAILED: { color: "orange", label: "Undo failed" },
};

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

function StepStateBadge({ state }: { state: JobStepDto["state"] }) {
  const { color, label } = STEP_BADGES[state];
  return (
    <Badge color={color} variant={state === "PENDING" ? "outline" : "light"}>
      {label}
    </Badge>
  );
}

/** A job's plan, step by step in the order it runs, live while the job is queued or running. */
export function JobPlan({ jobId }: { jobId: number }) {
  const job = useJob(jobId);
  if (job.error)
    return (
      <Alert color="red" title="Could not load the plan" role="alert" m="sm">
        {job.error instanceof Error ? job.error.message : String(job.error)}
      </Alert>
    );
  if (!job.data) return <Loader size="sm" m="sm" aria-label={`Loading the plan of job ${jobId}`} />;

  const { steps } = job.data;
  if (steps.length === 0)
    return (
      <Text size="sm" c="dimmed" p="sm">
        {job.data.state === "QUEUED" ? "The plan is made when the job starts." : "This job has no steps."}
      </Text>
    );

  // the line is coloured up to the last step that started
  const active = steps.findLastIndex((s) => s.state !== "PENDING");
  return (
    <Timeline active={active} bulletSize={14} lineWidth={2} p="sm" role="list" aria-label={`Plan of job ${jobId}`}>
      {steps.map((s) => (
        <Timeline.Item
          key={s.key}
          role="listitem"
          color={STEP_BADGES[s.state].color}
          title={
            <Group gap="xs">
              <Text size="sm" fw={500} c={s.state === "PENDING" ? "dimmed" : undefined}>
                {cap(s.title || s.key)}
              </Text>
              <StepStateBadge state={s.state} />
            </Group>
          }
        >
          {s.part ? (
            <Text size="xs" c="dimmed">
              {s.part}
            </Text>
          ) : null}
          {s.error ? (
            <Text size="xs" c={s.state === "UNDO_FAILED" ? "orange" : "red"}>
              {s.state === "UNDO_FAILED" ? `Undo failed: ${s.error}` : s.error}
            </Text>
          ) : null}
        </Timeline.Item>
      ))}
    </Timeline>
  );
}

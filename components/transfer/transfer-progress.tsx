import type { ReactNode } from "react";
import { Group, Progress, Stack, Text, type MantineColor } from "@mantine/core";
import { describeTransfer } from "./format";

interface TransferProgressProps {
  /** accessible name of the bar, e.g. "Upload of debian.qcow2" */
  label: string;
  bytesDone: number;
  /** null when the size is not known yet: the bar is indeterminate (striped, animated) */
  bytesTotal: number | null | undefined;
  /** bytes per second as measured (tus progress, the job's own rate); never guessed */
  rateBps?: number | null;
  /** what is happening: a job's phase, "Uploading", "Reconnecting…" */
  status?: ReactNode;
  color?: MantineColor;
  /** a paused or failed transfer: no animation, no rate or time left */
  stalled?: boolean;
  /** smaller text for table rows */
  compact?: boolean;
}

/**
 * A transfer's progress: bytes done of total, percent, rate and time left. The bar carries
 * role="progressbar" with the numbers in aria-valuenow/aria-valuetext (no valuenow when the
 * total is unknown, as ARIA prescribes for an indeterminate bar).
 */
export function TransferProgress(props: TransferProgressProps) {
  const { label, bytesDone, bytesTotal, rateBps, status, color, stalled = false, compact = false } = props;
  const { percent, text } = describeTransfer({ bytesDone, bytesTotal, rateBps: stalled ? null : rateBps });
  const indeterminate = percent === null;
  const valueText = status && typeof status === "string" ? `${status}: ${text}` : text;
  return (
    <Stack gap={compact ? 2 : 4} miw={compact ? 160 : undefined}>
      <Progress.Root
        size={compact ? "sm" : "lg"}
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent ?? undefined}
        aria-valuetext={valueText}
        aria-busy={!stalled}
      >
        <Progress.Section
          withAria={false}
          value={indeterminate ? 100 : percent}
          color={color ?? (stalled ? "gray" : undefined)}
          striped={indeterminate || !stalled}
          animated={!stalled}
        />
      </Progress.Root>
      <Group gap="xs" justify="space-between" wrap={compact ? "wrap" : "nowrap"}>
        {status ? (
          <Text size="xs" fw={600} c={stalled ? "orange" : undefined} truncate>
            {status}
          </Text>
        ) : null}
        <Text size="xs" c="dimmed" ta="right" style={compact ? undefined : { whiteSpace: "nowrap" }}>
          {text}
        </Text>
      </Group>
    </Stack>
  );
}

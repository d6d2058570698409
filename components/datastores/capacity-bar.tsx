import { Progress, Stack, Text, Tooltip } from "@mantine/core";
import { formatBytes } from "@/components/transfer/format";
import type { DatastoreDto } from "./api";

/** A datastore's capacity, or a marketplace's once monitored (no error field there). */
type Capacity = Pick<DatastoreDto["capacity"], "totalBytes" | "freeBytes"> & { error?: string | null };

/** green below 66 %, yellow below 85 %, red above (DESIGN.md §7 "capacity bars with thresholds") */
export function capacityColor(percent: number): string {
  if (percent < 66) return "green";
  if (percent < 85) return "yellow";
  return "red";
}

/**
 * How full a datastore or marketplace is: what is not free out of the total (the limit when one is set).
 * `usedBytes` alone counts only the images; other files on the same disk take space too.
 */
export function capacityUsage(c: Capacity) {
  const used = Math.max(0, c.totalBytes - c.freeBytes);
  const percent = c.totalBytes > 0 ? Math.min(100, (used / c.totalBytes) * 100) : 0;
  return { used, percent };
}

export function CapacityBar({
  capacity,
  name,
  withNumbers = false,
}: {
  capacity: Capacity;
  name: string;
  withNumbers?: boolean;
}) {
  if (capacity.error) {
    return (
      <Text size="sm" c="red" role="status">
        Capacity unknown: {capacity.error}
      </Text>
    );
  }
  const { used, percent } = capacityUsage(capacity);
  const summary = `${formatBytes(used)} of ${formatBytes(capacity.totalBytes)} used (${Math.round(percent)}%), ${formatBytes(capacity.freeBytes)} free`;
  return (
    <Stack gap={2} miw={140}>
      <Tooltip label={summary}>
        <Progress.Root
          size={withNumbers ? "xl" : "md"}
          role="meter"
          aria-label={`Capacity of ${name}`}
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={Math.round(percent)}
          aria-valuetext={summary}
        >
          <Progress.Section withAria={false} value={percent} color={capacityColor(percent)} />
        </Progress.Root>
      </Tooltip>
      <Text size="xs" c="dimmed">
        {withNumbers ? summary : `${formatBytes(used)} / ${formatBytes(capacity.totalBytes)}`}
      </Text>
    </Stack>
  );
}

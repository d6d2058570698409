import { Progress, Stack, Table, Text } from "@mantine/core";
import { formatBytes } from "@/lib/format/bytes";
import type { QuotasDto, QuotaUsage } from "./api";
import { atLimit, usagePercent } from "./quota-units";

const count = (n: number) => String(n);

/** One quota's usage: a bar that turns red at the limit, and "used of limit" or "unlimited". */
export function UsageBar({
  label,
  usage,
  format = count,
}: {
  label: string;
  usage: QuotaUsage;
  format?: (n: number) => string;
}) {
  const percent = usagePercent(usage);
  const full = atLimit(usage);
  const text =
    usage.limit === null ? `${format(usage.used)} used · unlimited` : `${format(usage.used)} of ${format(usage.limit)}`;
  return (
    <Stack gap={2} miw={160}>
      <Progress.Root
        size="md"
        role="meter"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Math.round(percent)}
        aria-valuetext={full ? `${text}, at the limit` : text}
      >
        <Progress.Section withAria={false} value={percent} color={full ? "red" : percent >= 85 ? "yellow" : "blue"} />
      </Progress.Root>
      <Text size="xs" c={full ? "red" : "dimmed"}>
        {text}
        {full ? " · at the limit" : ""}
      </Text>
    </Stack>
  );
}

/** Transfers under way, then size and images per datastore (all datastores together first). */
export function QuotaUsageView({ quotas }: { quotas: QuotasDto }) {
  return (
    <Stack gap="md">
      <Stack gap={4} maw={320}>
        <Text size="sm" fw={600}>
          Transfers at once
        </Text>
        <UsageBar label="Transfers at once" usage={quotas.transfers} />
      </Stack>
      <Table withTableBorder aria-label="Datastore quotas" layout="fixed" maw={760}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Datastore</Table.Th>
            <Table.Th>Size</Table.Th>
            <Table.Th>Images</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {quotas.datastores.map((d) => {
            const where = d.datastore ? d.datastore.name : "All datastores";
            return (
              <Table.Tr key={d.datastore?.id ?? "all"}>
                <Table.Th scope="row" fw={d.datastore ? 400 : 600}>
                  {where}
                </Table.Th>
                <Table.Td>
                  <UsageBar label={`Size in ${where}`} usage={d.bytes} format={formatBytes} />
                </Table.Td>
                <Table.Td>
                  <UsageBar label={`Images in ${where}`} usage={d.images} />
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}

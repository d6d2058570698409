import { Alert, Stack, Text, Title } from "@mantine/core";
import { CapacityBar } from "@/components/datastores/capacity-bar";
import { formatBytes } from "@/components/transfer/format";
import { formatDateTime } from "@/components/ui/format";
import { InfoList } from "@/components/ui/info-list";
import type { MarketplaceDto } from "./api";
import { ATTRIBUTE_LABELS, DRIVER_KEYS, formatAttribute } from "./market-drivers";

export function MarketplaceInfoTab({ market: m }: { market: MarketplaceDto }) {
  const c = m.capacity;
  return (
    <Stack gap="md" maw={760}>
      {m.monitorError ? (
        <Alert color="red" role="alert" title="Monitoring failed">
          {m.monitorError}
        </Alert>
      ) : null}
      {c ? (
        <CapacityBar capacity={c} name={m.name} withNumbers />
      ) : (
        <Text size="sm" c="dimmed">
          Capacity not known yet: the marketplace has not been monitored.
        </Text>
      )}
      <InfoList
        label="Marketplace information"
        items={[
          { label: "Driver", value: m.driverLabel },
          { label: "Zone", value: m.local ? `${m.zone.name} (this zone)` : m.zone.name },
          { label: "Location", value: m.location },
          { label: "Apps", value: m.appCount.toLocaleString() },
          { label: "Total", value: c ? formatBytes(c.totalBytes) : "" },
          { label: "Free", value: c ? formatBytes(c.freeBytes) : "" },
          { label: "Used", value: c ? formatBytes(c.usedBytes) : "" },
          { label: "Last monitored", value: m.monitoredAt ? formatDateTime(m.monitoredAt) : "Never" },
          { label: "Description", value: m.description },
          { label: "Owner", value: m.owner.name },
          { label: "Group", value: m.group.name },
          { label: "Created", value: formatDateTime(m.createdAt) },
          { label: "Updated", value: formatDateTime(m.updatedAt) },
        ]}
      />
      <Title order={4}>Driver attributes</Title>
      <InfoList
        label="Driver attributes"
        items={[
          ...Object.entries(m.config).map(([key, value]) => ({
            label: ATTRIBUTE_LABELS[key] ?? key,
            value: formatAttribute(value),
          })),
          // secrets are never returned: only whether they are set
          ...DRIVER_KEYS[m.driver].secrets.map((key) => ({
            label: ATTRIBUTE_LABELS[key],
            value: m.secretsSet.includes(key) ? "set" : "not set",
          })),
        ]}
      />
    </Stack>
  );
}

import { Stack, Table, Text, Title } from "@mantine/core";
import { CapacityBar } from "@/components/datastores/capacity-bar";
import { formatBytes } from "@/components/transfer/format";
import { formatDateTime } from "@/components/ui/format";
import { InfoList } from "@/components/ui/info-list";
import { ZoneLink } from "@/components/zones/zone-link";
import type { MarketplaceDto } from "./api";
import { ATTRIBUTE_LABELS, DRIVER_KEYS, formatAttribute } from "./market-drivers";

/** When the marketplace was last monitored (a public catalog: synced), and whether that failed. */
export function lastMonitoredText(m: MarketplaceDto) {
  if (!m.monitoredAt) return "Never";
  return `${formatDateTime(m.monitoredAt)}${m.monitorError ? " (failed)" : ""}`;
}

/** The capacity rows: a public catalog has none. */
function capacityItems(m: MarketplaceDto) {
  if (m.public) return [{ label: "Capacity", value: "" }];
  const c = m.capacity;
  return [
    { label: "Total", value: c ? formatBytes(c.totalBytes) : "" },
    { label: "Free", value: c ? formatBytes(c.freeBytes) : "" },
    { label: "Used", value: c ? formatBytes(c.usedBytes) : "" },
  ];
}

/** The monitor error itself is shown above the tabs (marketplace-detail.tsx), whichever tab is open. */
export function MarketplaceInfoTab({ market: m }: { market: MarketplaceDto }) {
  const c = m.capacity;
  return (
    <Stack gap="md" maw={760}>
      {m.public ? null : c ? (
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
          ...(m.public
            ? [{ label: "Kind", value: "Public catalog (read-only: its apps come from monitoring it)" }]
            : []),
          { label: "Zone", value: <ZoneLink zone={m.zone} local={m.local} path={`/marketplaces/${m.id}`} markLocal /> },
          { label: "Location", value: m.location },
          { label: "Apps", value: m.appCount.toLocaleString() },
          ...capacityItems(m),
          { label: m.public ? "Last synced" : "Last monitored", value: lastMonitoredText(m) },
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
      <CatalogSkipped market={m} />
    </Stack>
  );
}

/** The catalog entries the last monitor did not turn into apps, and why (the server keeps up to 200). */
function CatalogSkipped({ market: m }: { market: MarketplaceDto }) {
  if (m.catalogSkipped.length === 0) return null;
  const count = m.catalogSkipped.length;
  return (
    <Stack gap="xs" component="section" aria-labelledby="catalog-skipped-title">
      <Title order={4} id="catalog-skipped-title">
        Left out of the catalog
      </Title>
      <Text size="sm" c="dimmed">
        The last sync left {count === 1 ? "1 entry" : `${count} entries`} of the catalog out: they cannot be imported
        here.
      </Text>
      <Table.ScrollContainer minWidth={520} maxHeight={420}>
        <Table aria-label="Left out of the catalog" striped verticalSpacing={6}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Name</Table.Th>
              <Table.Th>Catalog ID</Table.Th>
              <Table.Th>Reason</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {m.catalogSkipped.map((s, i) => (
              // several versions of one entry may be left out
              <Table.Tr key={`${i}:${s.upstreamId}`}>
                <Table.Td>{s.name}</Table.Td>
                <Table.Td>
                  <Text span size="sm" ff="monospace" style={{ overflowWrap: "anywhere" }}>
                    {s.upstreamId}
                  </Text>
                </Table.Td>
                <Table.Td>{s.reason}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Stack>
  );
}

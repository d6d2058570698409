import { Stack } from "@mantine/core";
import { formatBytes } from "@/components/transfer/format";
import { formatDateTime } from "@/components/ui/format";
import { InfoList } from "@/components/ui/info-list";
import type { DatastoreDto } from "./api";
import { CapacityBar } from "./capacity-bar";

export function DatastoreInfoTab({ datastore: d }: { datastore: DatastoreDto }) {
  const c = d.capacity;
  return (
    <Stack gap="md" maw={760}>
      <CapacityBar capacity={c} name={d.name} withNumbers />
      <InfoList
        label="Datastore information"
        items={[
          { label: "Type", value: d.type },
          { label: "Driver", value: d.driver },
          { label: "Required format", value: d.requiredFormat },
          { label: "Total", value: c.error ? "" : formatBytes(c.totalBytes) },
          { label: "Free", value: c.error ? "" : formatBytes(c.freeBytes) },
          {
            label: "Used by images",
            value: `${formatBytes(c.usedBytes)} in ${d.imageCount} image${d.imageCount === 1 ? "" : "s"}`,
          },
          { label: "Limit", value: d.limitMb === null ? "None" : `${d.limitMb.toLocaleString()} MB` },
          { label: "Base path", value: d.basePath },
          { label: "Zone", value: d.zone.name },
          { label: "Description", value: d.description },
          { label: "Owner", value: d.owner.name },
          { label: "Group", value: d.group.name },
          { label: "Created", value: formatDateTime(d.createdAt) },
          { label: "Updated", value: formatDateTime(d.updatedAt) },
        ]}
      />
    </Stack>
  );
}

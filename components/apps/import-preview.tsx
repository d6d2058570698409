"use client";

import Link from "next/link";
import { useId } from "react";
import { Alert, Anchor, Group, List, Loader, Stack, Table, Text, Title } from "@mantine/core";
import { formatBytes } from "@/components/transfer/format";
import type { ImportPlanDto } from "./api";

interface ImportPreviewProps {
  plan: ImportPlanDto | undefined;
  /** the server refused the choices (no room, wrong datastore, name taken) */
  error: Error | null;
  loading: boolean;
  /** said before anything is asked: what is still to choose */
  idle: string | null;
}

function ImagesTable({ images }: { images: ImportPlanDto["images"] }) {
  return (
    <Table aria-label="Images" verticalSpacing={4} withRowBorders={false}>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Image</Table.Th>
          <Table.Th>Type</Table.Th>
          <Table.Th ta="right">Size</Table.Th>
          <Table.Th>From app</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {images.map((img) => (
          <Table.Tr key={img.name}>
            <Table.Td>{img.name}</Table.Td>
            <Table.Td>{img.type}</Table.Td>
            <Table.Td ta="right">{formatBytes(img.sizeBytes)}</Table.Td>
            <Table.Td>
              <Anchor component={Link} href={`/apps/${img.app.id}`} size="sm">
                {img.app.name}
              </Anchor>
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

function PlanView({ plan }: { plan: ImportPlanDto }) {
  const fits = plan.totalBytes <= plan.freeBytes;
  return (
    <Stack gap="xs">
      {plan.images.length ? <ImagesTable images={plan.images} /> : null}
      {plan.vmTemplates.length ? (
        <List size="sm" spacing={2} aria-label="VM templates">
          {plan.vmTemplates.map((t) => (
            <List.Item key={t.name}>
              VM template <b>{t.name}</b>
              {t.disks.length ? ` — disks ${t.disks.join(", ")}` : " — no disks"}
            </List.Item>
          ))}
        </List>
      ) : null}
      {plan.serviceTemplate ? (
        <Text size="sm">
          Service template <b>{plan.serviceTemplate.name}</b> — roles{" "}
          {plan.serviceTemplate.roles.map((r) => `${r.name} (VM template ${r.vmTemplate})`).join(", ")}
        </Text>
      ) : null}
      <Text size="sm" c={fits ? "dimmed" : "red"}>
        {formatBytes(plan.totalBytes)} needed in datastore {plan.datastore.name}, {formatBytes(plan.freeBytes)} free.
      </Text>
    </Stack>
  );
}

/** The "Will be created" section of the import dialog: the server's plan for the current choices. */
export function ImportPreview({ plan, error, loading, idle }: ImportPreviewProps) {
  const headingId = useId();
  return (
    <Stack gap="xs" component="section" aria-labelledby={headingId} aria-busy={loading}>
      <Group gap="xs">
        <Title order={5} id={headingId}>
          Will be created
        </Title>
        {loading ? <Loader size="xs" aria-label="Checking" /> : null}
      </Group>
      {idle ? (
        <Text size="sm" c="dimmed">
          {idle}
        </Text>
      ) : error ? (
        <Alert color="red" role="alert" title="Cannot import">
          {error.message}
        </Alert>
      ) : plan ? (
        <PlanView plan={plan} />
      ) : null}
    </Stack>
  );
}

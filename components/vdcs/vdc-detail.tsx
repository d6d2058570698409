"use client";

import { useRouter } from "next/navigation";
import { EmptyState, Stack, Table, Tabs, Text } from "@mantine/core";
import { IconDatabaseOff } from "@tabler/icons-react";
import { useSession } from "@/components/auth/session-context";
import { DeleteAction } from "@/components/ui/delete-action";
import { formatDateTime } from "@/components/ui/format";
import { PageHeader } from "@/components/ui/page-header";
import { QueryView } from "@/components/ui/query-view";
import type { VdcDto } from "./api";
import { useDeleteVdc, useVdc } from "./queries";
import { VdcFormButton } from "./vdc-form-modal";
import { GroupBadges, vdcDeleteConsequence } from "./vdcs-list";

export function VdcDetail({ id }: { id: number }) {
  const query = useVdc(id);
  return <QueryView query={query}>{(vdc) => <VdcView vdc={vdc} />}</QueryView>;
}

function VdcView({ vdc }: { vdc: VdcDto }) {
  const router = useRouter();
  const { isAdmin } = useSession().user;
  const remove = useDeleteVdc();
  return (
    <>
      <PageHeader title={vdc.name}>
        {isAdmin ? (
          <>
            <VdcFormButton vdc={vdc} />
            <DeleteAction
              variant="button"
              kind="VDC"
              name={vdc.name}
              consequence={vdcDeleteConsequence(vdc)}
              onDelete={() => remove.mutateAsync(vdc.id)}
              onDeleted={() => router.push("/vdcs")}
            />
          </>
        ) : null}
      </PageHeader>
      <Text size="sm" c="dimmed" mb="md">
        ID {vdc.id} · created {formatDateTime(vdc.createdAt)} · updated {formatDateTime(vdc.updatedAt)}
      </Text>
      <Tabs defaultValue="info" keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="info">Info</Tabs.Tab>
          <Tabs.Tab value="resources">Resources ({vdc.resources.length})</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="info" pt="md">
          <Stack gap="sm" maw={640}>
            <Text>
              {vdc.description || (
                <Text span c="dimmed">
                  No description
                </Text>
              )}
            </Text>
            <div>
              <Text size="sm" fw={600} mb={4}>
                Groups
              </Text>
              {vdc.groups.length ? (
                <GroupBadges groups={vdc.groups} />
              ) : (
                <Text size="sm" c="dimmed">
                  No groups
                </Text>
              )}
            </div>
          </Stack>
        </Tabs.Panel>
        <Tabs.Panel value="resources" pt="md">
          <VdcResources resources={vdc.resources} />
        </Tabs.Panel>
      </Tabs>
    </>
  );
}

/** Read-only until datastores exist; then this becomes a picker. */
function VdcResources({ resources }: { resources: VdcDto["resources"] }) {
  if (resources.length === 0) {
    return (
      <EmptyState
        icon={<IconDatabaseOff size={32} />}
        title="No resources yet"
        description="Datastores can be added once they exist."
      />
    );
  }
  return (
    <Table withTableBorder aria-label="Resources" maw={640}>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Zone</Table.Th>
          <Table.Th>Type</Table.Th>
          <Table.Th>ID</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {resources.map((r) => (
          <Table.Tr key={`${r.zoneId}-${r.resourceType}-${r.resourceId}`}>
            <Table.Td>{r.zoneName}</Table.Td>
            <Table.Td>{r.resourceType}</Table.Td>
            <Table.Td>{r.resourceId}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

"use client";

import { Code, Group, Stack, Table, Tabs, Text } from "@mantine/core";
import { PublishToMarketButton } from "@/components/apps/publish-app-modal";
import { useSession } from "@/components/auth/session-context";
import { holdsRight } from "@/components/permissions/bits";
import { AppNameLink } from "@/components/permissions/named-link";
import { RefLink } from "@/components/permissions/object-ref";
import { PermissionsPanel } from "@/components/permissions/permissions-panel";
import { DetailHeader } from "@/components/ui/detail-header";
import { formatDateTime } from "@/components/ui/format";
import { InfoList } from "@/components/ui/info-list";
import { QueryView } from "@/components/ui/query-view";
import type { VmTemplateDto } from "./api";
import { useCloneVmTemplate, useDeleteVmTemplate, useInvalidateTemplates, useVmTemplate } from "./queries";
import { CloneButton, ExportButton } from "./template-actions";
import { EditVmTemplateButton } from "./vm-template-modals";

export function VmTemplateDetail({ id }: { id: number }) {
  const query = useVmTemplate(id);
  return <QueryView query={query}>{(t) => <VmTemplateView template={t} />}</QueryView>;
}

function VmTemplateView({ template: t }: { template: VmTemplateDto }) {
  const me = useSession().user;
  const remove = useDeleteVmTemplate();
  const clone = useCloneVmTemplate();
  const invalidate = useInvalidateTemplates();
  const canManage = holdsRight(me, t, "manage");
  const canCreate = me.isAdmin || me.createRights.includes("VM_TEMPLATE");
  return (
    <>
      <DetailHeader
        name={t.name}
        meta={`ID ${t.id} · zone ${t.zone.name} · created ${formatDateTime(t.createdAt)}`}
        remove={{
          kind: "VM template",
          name: t.name,
          consequence: `The VM template ${t.name} will be deleted; its ${t.disks.length} disk image(s) stay. This cannot be undone.`,
          disabledReason: canManage ? undefined : "You need MANAGE permission on this VM template",
          onDelete: () => remove.mutateAsync(t.id),
          listPath: "/vm-templates",
        }}
      >
        <PublishToMarketButton source={{ kind: "vmTemplate", id: t.id }} defaultName={t.name} />
        <CloneButton
          kind="VM template"
          name={t.name}
          basePath="/vm-templates"
          disabledReason={canCreate ? undefined : "Your groups may not create VM templates"}
          clone={(name) => clone.mutateAsync({ id: t.id, name })}
        />
        <EditVmTemplateButton template={t} disabled={!canManage} />
      </DetailHeader>
      <Tabs defaultValue="info" keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="info">Info</Tabs.Tab>
          <Tabs.Tab value="template">Template</Tabs.Tab>
          <Tabs.Tab value="permissions">Permissions</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="info" pt="md">
          <VmTemplateInfo template={t} />
        </Tabs.Panel>
        <Tabs.Panel value="template" pt="md">
          <Stack gap="sm" maw={900}>
            <Group>
              <ExportButton filename={`${t.name}.tpl`} text={t.text} type="text/plain" />
            </Group>
            <Code block aria-label="Template text">
              {t.text}
            </Code>
          </Stack>
        </Tabs.Panel>
        <Tabs.Panel value="permissions" pt="md">
          <PermissionsPanel resourcePath={`/vm-templates/${t.id}`} ownership={t} onChanged={invalidate} />
        </Tabs.Panel>
      </Tabs>
    </>
  );
}

function VmTemplateInfo({ template: t }: { template: VmTemplateDto }) {
  return (
    <Stack gap="lg">
      <InfoList
        label="VM template information"
        items={[
          { label: "CPU", value: t.cpu ?? "" },
          { label: "VCPU", value: t.vcpu ?? "" },
          { label: "Memory", value: t.memoryMb === null ? "" : `${t.memoryMb.toLocaleString()} MB` },
          { label: "Architecture", value: t.arch },
          { label: "Hypervisor", value: t.hypervisor },
          { label: "Network interfaces", value: t.nicCount },
          {
            label: "Origin",
            value:
              t.fromAppId !== null ? (
                <>
                  Imported from app <AppNameLink id={t.fromAppId} />
                </>
              ) : (
                ""
              ),
          },
          { label: "Description", value: t.description },
          { label: "Owner", value: t.owner.name },
          { label: "Group", value: t.group.name },
          { label: "Updated", value: formatDateTime(t.updatedAt) },
        ]}
      />
      <Table aria-label="Disks" maw={760} withTableBorder>
        <Table.Thead>
          <Table.Tr>
            <Table.Th w={60}>Disk</Table.Th>
            <Table.Th>Image</Table.Th>
            <Table.Th>Device prefix</Table.Th>
            <Table.Th>Size</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {t.disks.length === 0 ? (
            <Table.Tr>
              <Table.Td colSpan={4}>
                <Text size="sm" c="dimmed">
                  No disks
                </Text>
              </Table.Td>
            </Table.Tr>
          ) : null}
          {t.disks.map((d) => (
            <Table.Tr key={d.index}>
              <Table.Td>{d.index}</Table.Td>
              <Table.Td>
                {d.imageId === null ? (
                  `volatile (${d.type})`
                ) : d.image ? (
                  <RefLink kind="image" href={`/images/${d.image.id}`} value={d.image} />
                ) : (
                  <Text span c="red">
                    image {d.imageId} (deleted)
                  </Text>
                )}
              </Table.Td>
              <Table.Td>{d.devPrefix || "—"}</Table.Td>
              <Table.Td>{d.size ? `${Number(d.size).toLocaleString()} MB` : "—"}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}

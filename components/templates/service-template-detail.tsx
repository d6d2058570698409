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
import type { ServiceTemplateDto } from "./api";
import {
  useCloneServiceTemplate,
  useDeleteServiceTemplate,
  useInvalidateTemplates,
  useServiceTemplate,
} from "./queries";
import { EditServiceTemplateButton } from "./service-template-modals";
import { CloneButton, ExportButton } from "./template-actions";

export function ServiceTemplateDetail({ id }: { id: number }) {
  const query = useServiceTemplate(id);
  return <QueryView query={query}>{(s) => <ServiceTemplateView template={s} />}</QueryView>;
}

function ServiceTemplateView({ template: s }: { template: ServiceTemplateDto }) {
  const me = useSession().user;
  const remove = useDeleteServiceTemplate();
  const clone = useCloneServiceTemplate();
  const invalidate = useInvalidateTemplates();
  const canManage = holdsRight(me, s, "manage");
  const canCreate = me.isAdmin || me.createRights.includes("SERVICE_TEMPLATE");
  const json = JSON.stringify(s.body, null, 2);
  return (
    <>
      <DetailHeader
        name={s.name}
        meta={`ID ${s.id} · zone ${s.zone.name} · created ${formatDateTime(s.createdAt)}`}
        remove={{
          kind: "service template",
          name: s.name,
          consequence: `The service template ${s.name} will be deleted; the VM templates of its roles stay. This cannot be undone.`,
          disabledReason: canManage ? undefined : "You need MANAGE permission on this service template",
          onDelete: () => remove.mutateAsync(s.id),
          listPath: "/service-templates",
        }}
      >
        <PublishToMarketButton source={{ kind: "serviceTemplate", id: s.id }} defaultName={s.name} />
        <CloneButton
          kind="Service template"
          name={s.name}
          basePath="/service-templates"
          disabledReason={canCreate ? undefined : "Your groups may not create service templates"}
          clone={(name) => clone.mutateAsync({ id: s.id, name })}
        />
        <EditServiceTemplateButton template={s} disabled={!canManage} />
      </DetailHeader>
      <Tabs defaultValue="info" keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="info">Info</Tabs.Tab>
          <Tabs.Tab value="json">JSON</Tabs.Tab>
          <Tabs.Tab value="permissions">Permissions</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="info" pt="md">
          <Stack gap="lg">
            <InfoList
              label="Service template information"
              items={[
                { label: "Deployment", value: s.deployment },
                {
                  label: "Origin",
                  value:
                    s.fromAppId !== null ? (
                      <>
                        Imported from app <AppNameLink id={s.fromAppId} />
                      </>
                    ) : (
                      ""
                    ),
                },
                { label: "Description", value: s.description },
                { label: "Owner", value: s.owner.name },
                { label: "Group", value: s.group.name },
                { label: "Updated", value: formatDateTime(s.updatedAt) },
              ]}
            />
            <RolesTable template={s} />
          </Stack>
        </Tabs.Panel>
        <Tabs.Panel value="json" pt="md">
          <Stack gap="sm" maw={900}>
            <Group>
              <ExportButton filename={`${s.name}.json`} text={`${json}\n`} type="application/json" />
            </Group>
            <Code block aria-label="OneFlow JSON">
              {json}
            </Code>
          </Stack>
        </Tabs.Panel>
        <Tabs.Panel value="permissions" pt="md">
          <PermissionsPanel resourcePath={`/service-templates/${s.id}`} ownership={s} onChanged={invalidate} />
        </Tabs.Panel>
      </Tabs>
    </>
  );
}

function RolesTable({ template: s }: { template: ServiceTemplateDto }) {
  return (
    <Table aria-label="Roles" maw={760} withTableBorder>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Role</Table.Th>
          <Table.Th>VM template</Table.Th>
          <Table.Th>Cardinality</Table.Th>
          <Table.Th>Parents</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {s.roles.map((r) => (
          <Table.Tr key={r.name}>
            <Table.Td>{r.name}</Table.Td>
            <Table.Td>
              {r.vmTemplate ? (
                <RefLink kind="VM template" href={`/vm-templates/${r.vmTemplate.id}`} value={r.vmTemplate} />
              ) : (
                <Text span c="red">
                  VM template {r.vmTemplateId} (deleted)
                </Text>
              )}
            </Table.Td>
            <Table.Td>{r.cardinality}</Table.Td>
            <Table.Td>{r.parents.length ? r.parents.join(", ") : "—"}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

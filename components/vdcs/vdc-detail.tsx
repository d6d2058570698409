"use client";

import { Tabs } from "@mantine/core";
import { useSession } from "@/components/auth/session-context";
import { DetailHeader } from "@/components/ui/detail-header";
import { formatDateTime } from "@/components/ui/format";
import { InfoList } from "@/components/ui/info-list";
import { QueryView } from "@/components/ui/query-view";
import type { VdcDto } from "./api";
import { useDeleteVdc, useVdc } from "./queries";
import { VdcFormButton } from "./vdc-form-modal";
import { VdcGroupsTab } from "./vdc-groups-tab";
import { VdcResourcesTab } from "./vdc-resources-tab";
import { GroupBadges, vdcDeleteConsequence } from "./vdcs-list";

export function VdcDetail({ id }: { id: number }) {
  const query = useVdc(id);
  return <QueryView query={query}>{(vdc) => <VdcView vdc={vdc} />}</QueryView>;
}

/** Admins edit the VDC's groups and resources; its members see what it grants them. */
function VdcView({ vdc }: { vdc: VdcDto }) {
  const { isAdmin } = useSession().user;
  const remove = useDeleteVdc();
  return (
    <>
      <DetailHeader
        name={vdc.name}
        meta={`ID ${vdc.id} · created ${formatDateTime(vdc.createdAt)} · updated ${formatDateTime(vdc.updatedAt)}`}
        remove={
          isAdmin
            ? {
                kind: "VDC",
                name: vdc.name,
                consequence: vdcDeleteConsequence(vdc),
                onDelete: () => remove.mutateAsync(vdc.id),
                listPath: "/vdcs",
              }
            : undefined
        }
      >
        {isAdmin ? <VdcFormButton vdc={vdc} /> : null}
      </DetailHeader>
      <Tabs defaultValue="info" keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="info">Info</Tabs.Tab>
          <Tabs.Tab value="groups">Groups ({vdc.groups.length})</Tabs.Tab>
          <Tabs.Tab value="resources">Resources ({vdc.resources.length})</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="info" pt="md">
          <InfoList
            items={[
              { label: "Description", value: vdc.description },
              {
                label: "Groups",
                value: vdc.groups.length ? <GroupBadges groups={vdc.groups} /> : null,
              },
              { label: "Resources", value: `${vdc.resources.length}` },
            ]}
          />
        </Tabs.Panel>
        <Tabs.Panel value="groups" pt="md">
          <VdcGroupsTab vdc={vdc} canEdit={isAdmin} />
        </Tabs.Panel>
        <Tabs.Panel value="resources" pt="md">
          <VdcResourcesTab vdc={vdc} canEdit={isAdmin} />
        </Tabs.Panel>
      </Tabs>
    </>
  );
}

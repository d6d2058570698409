"use client";

import { Badge, Group } from "@mantine/core";
import { DeleteAction } from "@/components/ui/delete-action";
import { descriptionColumn, nameColumn, SimpleListPage } from "@/components/ui/simple-list-page";
import type { VdcDto } from "./api";
import { useDeleteVdc, useVdcs } from "./queries";
import { VdcFormButton } from "./vdc-form-modal";

export const vdcDeleteConsequence = (v: VdcDto) =>
  `Members of ${v.groups.length} group(s) lose access to the ${v.resources.length} resource(s) this VDC grants. The groups and resources themselves stay.`;

export function GroupBadges({ groups }: { groups: VdcDto["groups"] }) {
  return (
    <Group gap={4}>
      {groups.map((g) => (
        <Badge key={g.id} size="sm" variant="light" tt="none">
          {g.name}
        </Badge>
      ))}
    </Group>
  );
}

export function VdcsList() {
  const remove = useDeleteVdc();
  return (
    <SimpleListPage<VdcDto>
      title="VDCs"
      plural="VDCs"
      useItems={useVdcs}
      create={<VdcFormButton />}
      columns={[
        nameColumn("/vdcs"),
        descriptionColumn(),
        { accessor: "groups", title: "Groups", render: (v) => <GroupBadges groups={v.groups} /> },
        {
          accessor: "resources",
          title: "Resources",
          textAlign: "right",
          width: 110,
          render: (v) => v.resources.length,
        },
      ]}
      deleteAction={(v) => (
        <DeleteAction
          kind="VDC"
          name={v.name}
          consequence={vdcDeleteConsequence(v)}
          onDelete={() => remove.mutateAsync(v.id)}
        />
      )}
    />
  );
}

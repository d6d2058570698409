"use client";

import { Badge } from "@mantine/core";
import { DeleteAction } from "@/components/ui/delete-action";
import { descriptionColumn, nameColumn, SimpleListPage } from "@/components/ui/simple-list-page";
import type { GroupDto } from "./api";
import { CreateGroupButton } from "./create-group-modal";
import { CreateRightsBadges } from "./group-fields";
import { useDeleteGroup, useGroups } from "./queries";

export const groupDeleteConsequence = (g: GroupDto) =>
  `The group ${g.name} and its create rights will be deleted; VDCs lose it.`;

export function groupDeleteRefusal(g: GroupDto): string | undefined {
  if (g.builtin) return "Built-in groups cannot be deleted";
  if (g.memberCount > 0) return "Remove the members first";
  return undefined;
}

export function GroupsList() {
  const remove = useDeleteGroup();
  return (
    <SimpleListPage<GroupDto>
      title="Groups"
      plural="groups"
      useItems={useGroups}
      create={<CreateGroupButton />}
      columns={[
        nameColumn("/groups", (g) =>
          g.builtin ? (
            <Badge size="sm" variant="light" color="gray">
              Built-in
            </Badge>
          ) : null,
        ),
        descriptionColumn(),
        { accessor: "memberCount", title: "Members", textAlign: "right", width: 100 },
        {
          accessor: "createRights",
          title: "Create rights",
          render: (g) => <CreateRightsBadges rights={g.createRights} />,
        },
      ]}
      deleteAction={(g) => (
        <DeleteAction
          kind="group"
          name={g.name}
          consequence={groupDeleteConsequence(g)}
          disabledReason={groupDeleteRefusal(g)}
          onDelete={() => remove.mutateAsync(g.id)}
        />
      )}
    />
  );
}

"use client";

import { Badge, Stack, Tabs, Text } from "@mantine/core";
import { useSession } from "@/components/auth/session-context";
import { QuotaPanel } from "@/components/quotas/quota-panel";
import { DetailHeader } from "@/components/ui/detail-header";
import { formatDateTime } from "@/components/ui/format";
import { QueryView } from "@/components/ui/query-view";
import type { GroupDetailDto } from "./api";
import { GroupInfoForm } from "./group-info-form";
import { CreateRightsBadges } from "./group-fields";
import { groupDeleteConsequence, groupDeleteRefusal } from "./groups-list";
import { GroupMembers } from "./group-members";
import { useDeleteGroup, useGroup } from "./queries";

export function GroupDetail({ id }: { id: number }) {
  const query = useGroup(id);
  return <QueryView query={query}>{(group) => <GroupView group={group} />}</QueryView>;
}

function GroupView({ group }: { group: GroupDetailDto }) {
  const { isAdmin } = useSession().user;
  const remove = useDeleteGroup();
  return (
    <>
      <DetailHeader
        name={group.name}
        badges={
          group.builtin ? (
            <Badge color="gray" variant="light">
              Built-in
            </Badge>
          ) : null
        }
        meta={`ID ${group.id} · created ${formatDateTime(group.createdAt)}`}
        remove={
          isAdmin
            ? {
                kind: "group",
                name: group.name,
                consequence: groupDeleteConsequence(group),
                disabledReason: groupDeleteRefusal(group),
                onDelete: () => remove.mutateAsync(group.id),
                listPath: "/groups",
              }
            : undefined
        }
      />
      <Tabs defaultValue="info" keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="info">Info</Tabs.Tab>
          <Tabs.Tab value="members">Members ({group.members.length})</Tabs.Tab>
          <Tabs.Tab value="quotas">Quotas</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="info" pt="md">
          {isAdmin ? <GroupInfoForm group={group} /> : <GroupInfoReadOnly group={group} />}
        </Tabs.Panel>
        <Tabs.Panel value="members" pt="md">
          <GroupMembers group={group} canEdit={isAdmin} />
        </Tabs.Panel>
        <Tabs.Panel value="quotas" pt="md">
          <QuotaPanel owner={{ kind: "groups", id: group.id }} name={group.name} canEdit={isAdmin} />
        </Tabs.Panel>
      </Tabs>
    </>
  );
}

function GroupInfoReadOnly({ group }: { group: GroupDetailDto }) {
  return (
    <Stack gap="sm" maw={640}>
      <Text>
        {group.description || (
          <Text span c="dimmed">
            No description
          </Text>
        )}
      </Text>
      <div>
        <Text size="sm" fw={600} mb={4}>
          Create rights
        </Text>
        {group.createRights.length ? (
          <CreateRightsBadges rights={group.createRights} />
        ) : (
          <Text size="sm" c="dimmed">
            None
          </Text>
        )}
      </div>
    </Stack>
  );
}

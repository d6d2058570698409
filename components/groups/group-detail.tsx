"use client";

import { useRouter } from "next/navigation";
import { Badge, Group, Stack, Tabs, Text } from "@mantine/core";
import { useSession } from "@/components/auth/session-context";
import { QuotaPanel } from "@/components/quotas/quota-panel";
import { DeleteAction } from "@/components/ui/delete-action";
import { formatDateTime } from "@/components/ui/format";
import { PageHeader } from "@/components/ui/page-header";
import { QueryView } from "@/components/ui/query-view";
import type { GroupDetailDto } from "./api";
import { GroupInfoForm } from "./group-info-form";
import { CreateRightsBadges } from "./group-fields";
import { GroupMembers } from "./group-members";
import { useDeleteGroup, useGroup } from "./queries";

export function GroupDetail({ id }: { id: number }) {
  const query = useGroup(id);
  return <QueryView query={query}>{(group) => <GroupView group={group} />}</QueryView>;
}

function GroupView({ group }: { group: GroupDetailDto }) {
  const router = useRouter();
  const { isAdmin } = useSession().user;
  const remove = useDeleteGroup();
  return (
    <>
      <PageHeader
        title={
          <Group gap="sm">
            {group.name}
            {group.builtin ? (
              <Badge color="gray" variant="light">
                Built-in
              </Badge>
            ) : null}
          </Group>
        }
      >
        {isAdmin ? (
          <DeleteAction
            variant="button"
            kind="group"
            name={group.name}
            consequence={`The group ${group.name} and its create rights will be deleted; VDCs lose it.`}
            disabledReason={
              group.builtin
                ? "Built-in groups cannot be deleted"
                : group.members.length > 0
                  ? "Remove the members first"
                  : undefined
            }
            onDelete={() => remove.mutateAsync(group.id)}
            onDeleted={() => router.push("/groups")}
          />
        ) : null}
      </PageHeader>
      <Text size="sm" c="dimmed" mb="md">
        ID {group.id} · created {formatDateTime(group.createdAt)}
      </Text>
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

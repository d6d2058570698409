"use client";

import { Badge, Tabs } from "@mantine/core";
import { useSession } from "@/components/auth/session-context";
import { QuotaPanel } from "@/components/quotas/quota-panel";
import { DetailHeader } from "@/components/ui/detail-header";
import { formatDateTime } from "@/components/ui/format";
import { QueryView } from "@/components/ui/query-view";
import { StateBadge } from "@/components/ui/state-badge";
import type { UserDto } from "./api";
import { useDeleteUser, useUser } from "./queries";
import { ResetPasswordButton } from "./reset-password-modal";
import { UserGroupsTab } from "./user-groups-tab";
import { UserInfoTab } from "./user-info-tab";

export function UserDetail({ id }: { id: number }) {
  const query = useUser(id);
  return <QueryView query={query}>{(user) => <UserView user={user} />}</QueryView>;
}

function UserView({ user }: { user: UserDto }) {
  const me = useSession().user;
  const remove = useDeleteUser();

  return (
    <>
      <DetailHeader
        name={user.username}
        badges={
          <>
            <StateBadge state={user.enabled ? "ENABLED" : "DISABLED"} />
            {user.isAdmin ? <Badge color="grape">Admin</Badge> : null}
          </>
        }
        meta={`ID ${user.id} · created ${formatDateTime(user.createdAt)} · updated ${formatDateTime(user.updatedAt)}`}
        remove={{
          kind: "user",
          name: user.username,
          consequence: `${user.username}'s sessions, API tokens and memberships of ${user.groups.length} group(s) will be deleted. This cannot be undone.`,
          disabledReason: user.id === me.id ? "You cannot delete your own account" : undefined,
          onDelete: () => remove.mutateAsync(user.id),
          listPath: "/users",
        }}
      >
        <ResetPasswordButton user={user} />
      </DetailHeader>
      <Tabs defaultValue="info" keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="info">Info</Tabs.Tab>
          <Tabs.Tab value="groups">Groups</Tabs.Tab>
          <Tabs.Tab value="quotas">Quotas</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="info" pt="md">
          <UserInfoTab user={user} isSelf={user.id === me.id} />
        </Tabs.Panel>
        <Tabs.Panel value="groups" pt="md">
          <UserGroupsTab user={user} />
        </Tabs.Panel>
        <Tabs.Panel value="quotas" pt="md">
          <QuotaPanel owner={{ kind: "users", id: user.id }} name={user.username} canEdit={me.isAdmin} />
        </Tabs.Panel>
      </Tabs>
    </>
  );
}

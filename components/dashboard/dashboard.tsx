"use client";

import Link from "next/link";
import { Anchor, Card, Group, SimpleGrid, Skeleton, Stack, Text, ThemeIcon, Title } from "@mantine/core";
import { IconBuildingWarehouse, IconUsers, IconUsersGroup, IconWorld, type Icon } from "@tabler/icons-react";
import type { UseQueryResult } from "@tanstack/react-query";
import { useSession } from "@/components/auth/session-context";
import { CapacityBar } from "@/components/datastores/capacity-bar";
import { useDatastores } from "@/components/datastores/queries";
import { useGroups } from "@/components/groups/queries";
import { QuotaPanel } from "@/components/quotas/quota-panel";
import { useUsers } from "@/components/users/queries";
import { useVdcs } from "@/components/vdcs/queries";
import { useZones } from "@/components/zones/queries";

// perPage=1: only `total` is wanted.
const ONE = { page: 1, perPage: 1 };

function CountCard({
  label,
  href,
  icon: CardIcon,
  query,
}: {
  label: string;
  href: string;
  icon: Icon;
  query: UseQueryResult<{ total: number }>;
}) {
  return (
    <Card
      withBorder
      padding="lg"
      component={Link}
      href={href}
      aria-label={`${label}: ${query.data?.total ?? "loading"}`}
    >
      <Group justify="space-between" align="flex-start">
        <div>
          <Text size="sm" c="dimmed" fw={600}>
            {label}
          </Text>
          {query.data ? (
            <Text fz={32} fw={700} data-testid={`count-${href.slice(1)}`}>
              {query.data.total}
            </Text>
          ) : query.isError ? (
            <Text c="red" size="sm">
              {query.error.message}
            </Text>
          ) : (
            <Skeleton h={40} w={60} mt={4} />
          )}
        </div>
        <ThemeIcon variant="light" size="xl" radius="md">
          <CardIcon size={24} aria-hidden />
        </ThemeIcon>
      </Group>
    </Card>
  );
}

function AdminCounts() {
  const users = useUsers(ONE);
  const groups = useGroups(ONE);
  const zones = useZones(ONE);
  const vdcs = useVdcs(ONE);
  return (
    <>
      <CountCard label="Users" href="/users" icon={IconUsers} query={users} />
      <CountCard label="Groups" href="/groups" icon={IconUsersGroup} query={groups} />
      <CountCard label="Zones" href="/zones" icon={IconWorld} query={zones} />
      <CountCard label="VDCs" href="/vdcs" icon={IconBuildingWarehouse} query={vdcs} />
    </>
  );
}

function UserCounts() {
  const groups = useGroups(ONE);
  const zones = useZones(ONE);
  return (
    <>
      <CountCard label="My groups" href="/groups" icon={IconUsersGroup} query={groups} />
      <CountCard label="Zones" href="/zones" icon={IconWorld} query={zones} />
    </>
  );
}

const ENABLED_DATASTORES = { page: 1, perPage: 200, sort: "name", order: "asc", enabled: "true" } as const;

/**
 * Where a user without rights of their own can put what they import: the enabled datastores
 * they may use here (their own, or granted by a VDC of their groups), and their quotas.
 */
function ImportTargetsCard() {
  const { user, zone } = useSession();
  const datastores = useDatastores(ENABLED_DATASTORES);
  const items = datastores.data?.items ?? [];
  return (
    <Card withBorder padding="lg" mt="lg" component="section" aria-labelledby="import-targets-title">
      <Title order={3} size="h4" id="import-targets-title" mb="sm">
        You can import into
      </Title>
      {datastores.isPending ? (
        <Skeleton h={40} />
      ) : datastores.isError ? (
        <Text c="red" size="sm" role="alert">
          {datastores.error.message}
        </Text>
      ) : items.length === 0 ? (
        <Text size="sm" role="status">
          No enabled datastore of zone {zone.name} is yours to use, so apps and images cannot be imported yet. Ask an
          administrator to add your group to a VDC with a datastore.
        </Text>
      ) : (
        <Stack gap="sm" role="list" aria-label="Datastores you can import into">
          {items.map((d) => (
            <Group key={d.id} role="listitem" justify="space-between" align="center" wrap="wrap">
              <div>
                <Anchor component={Link} href={`/datastores/${d.id}`} fw={600}>
                  {d.name}
                </Anchor>
                <Text size="xs" c="dimmed">
                  {d.type === "IMAGE" ? "Images" : "Files"} · zone {d.zone.name}
                </Text>
              </div>
              <div style={{ minWidth: 260 }}>
                <CapacityBar capacity={d.capacity} name={d.name} withNumbers />
              </div>
            </Group>
          ))}
        </Stack>
      )}
      <Title order={4} size="h5" mt="lg" mb="xs">
        Your quotas
      </Title>
      <QuotaPanel owner={{ kind: "users", id: user.id }} name={user.username} canEdit={false} />
    </Card>
  );
}

export function Dashboard() {
  const { user, zone } = useSession();
  return (
    <>
      <Title order={2} mb="xs">
        Dashboard
      </Title>
      <Text c="dimmed" mb="lg">
        Signed in as {user.displayName || user.username} in zone {zone.name}.
      </Text>
      <SimpleGrid cols={{ base: 1, xs: 2, lg: 4 }}>{user.isAdmin ? <AdminCounts /> : <UserCounts />}</SimpleGrid>
      {user.isAdmin ? null : <ImportTargetsCard />}
    </>
  );
}

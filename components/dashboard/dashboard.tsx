"use client";

import Link from "next/link";
import { Card, Group, SimpleGrid, Skeleton, Stack, Text, ThemeIcon, Title } from "@mantine/core";
import { IconBuildingWarehouse, IconUsers, IconUsersGroup, IconWorld, type Icon } from "@tabler/icons-react";
import type { UseQueryResult } from "@tanstack/react-query";
import { useSession } from "@/components/auth/session-context";
import { useGroups } from "@/components/groups/queries";
import { QuotaPanel } from "@/components/quotas/quota-panel";
import { DatastoresCard, JobsCard, MarketplacesCard, RecentAppsCard } from "./health-cards";
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

/** The user's own quotas: how much more they may store and move. */
function QuotasCard() {
  const { user } = useSession();
  return (
    <Card withBorder padding="lg" component="section" aria-labelledby="quotas-title">
      <Title order={3} size="h4" id="quotas-title" mb="sm">
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
      {/* what an operator checks first: room, transfers, marketplace health; then what is new */}
      <SimpleGrid cols={{ base: 1, md: 2 }} mt="lg">
        <DatastoresCard />
        <JobsCard />
        <MarketplacesCard />
        <RecentAppsCard />
      </SimpleGrid>
      <Stack mt="lg">
        <QuotasCard />
      </Stack>
    </>
  );
}

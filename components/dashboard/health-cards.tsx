"use client";

import Link from "next/link";
import type { ReactNode } from "react";
import { Anchor, Badge, Card, Group, Skeleton, Stack, Text, Title } from "@mantine/core";
import { useSession } from "@/components/auth/session-context";
import { AppLogo } from "@/components/apps/apps-table";
import { APP_TYPE_LABELS } from "@/components/apps/app-state";
import { useApps } from "@/components/apps/queries";
import { countOf } from "@/components/ui/bulk-plan";
import { CapacityBar } from "@/components/datastores/capacity-bar";
import { useDatastores } from "@/components/datastores/queries";
import { JobProgress } from "@/components/jobs/job-progress";
import { useJobs } from "@/components/jobs/queries";
import { MonitorFailure } from "@/components/markets/marketplaces-list";
import { useMarketplaces } from "@/components/markets/queries";
import { refName } from "@/components/permissions/object-ref";
import { formatBytes } from "@/components/transfer/format";
import { formatDateTime } from "@/components/ui/format";
import { StateBadge } from "@/components/ui/state-badge";

/** A dashboard section: a titled card whose body is its query's data, its error, or a skeleton. */
function Section({
  id,
  title,
  link,
  children,
}: {
  id: string;
  title: string;
  link?: { href: string; label: string };
  children: ReactNode;
}) {
  return (
    <Card withBorder padding="lg" component="section" aria-labelledby={`${id}-title`}>
      <Group justify="space-between" mb="sm">
        <Title order={3} size="h4" id={`${id}-title`}>
          {title}
        </Title>
        {link ? (
          <Anchor component={Link} href={link.href} size="sm">
            {link.label}
          </Anchor>
        ) : null}
      </Group>
      {children}
    </Card>
  );
}

function Loading({ query }: { query: { isPending: boolean; isError: boolean; error: Error | null } }) {
  if (query.isError)
    return (
      <Text c="red" size="sm" role="alert">
        {query.error?.message}
      </Text>
    );
  return <Skeleton h={60} />;
}

const ENABLED_DATASTORES = { page: 1, perPage: 200, sort: "name", order: "asc", enabled: "true" } as const;

/**
 * The enabled datastores of this zone the user may use, with how full each is: for an admin,
 * every one; for a user, where what they import can go (their own, or granted by a VDC).
 */
export function DatastoresCard() {
  const { user, zone } = useSession();
  const datastores = useDatastores(ENABLED_DATASTORES);
  const items = datastores.data?.items ?? [];
  const id = user.isAdmin ? "datastores" : "import-targets";
  return (
    <Section
      id={id}
      title={user.isAdmin ? `Datastores of zone ${zone.name}` : "You can import into"}
      link={{ href: "/datastores", label: "All datastores" }}
    >
      {!datastores.data ? (
        <Loading query={datastores} />
      ) : items.length === 0 ? (
        <Text size="sm" role="status">
          {user.isAdmin
            ? `Zone ${zone.name} has no enabled datastore: images and imports have nowhere to go. Create one on the Datastores page.`
            : `No enabled datastore of zone ${zone.name} is yours to use, so apps and images cannot be imported yet. Ask an administrator to add your group to a VDC with a datastore.`}
        </Text>
      ) : (
        <Stack gap="sm" role="list" aria-label={user.isAdmin ? "Datastores" : "Datastores you can import into"}>
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
    </Section>
  );
}

const ALL_MARKETPLACES = { page: 1, perPage: 200, sort: "name", order: "asc" } as const;
const SHOWN_MARKETPLACES = 6;

/** Each marketplace's health: failing monitors first, with their reason; then when each was last monitored. */
export function MarketplacesCard() {
  const markets = useMarketplaces(ALL_MARKETPLACES);
  const items = [...(markets.data?.items ?? [])].sort(
    (a, b) => Number(!!b.monitorError) - Number(!!a.monitorError) || Number(b.enabled) - Number(a.enabled),
  );
  const failing = items.filter((m) => m.monitorError).length;
  return (
    <Section id="market-health" title="Marketplaces" link={{ href: "/marketplaces", label: "All marketplaces" }}>
      {!markets.data ? (
        <Loading query={markets} />
      ) : items.length === 0 ? (
        <Text size="sm">No marketplace is yours to use.</Text>
      ) : (
        <Stack gap="sm">
          <Text size="sm" c={failing ? "red" : "dimmed"} role="status">
            {failing
              ? `${failing} of ${items.length} failing their monitor`
              : `All ${items.length} monitored without errors`}
          </Text>
          <Stack gap="xs" role="list" aria-label="Marketplace health">
            {items.slice(0, SHOWN_MARKETPLACES).map((m) => (
              <Group key={m.id} role="listitem" justify="space-between" align="flex-start" wrap="nowrap">
                <div style={{ minWidth: 0 }}>
                  <Anchor component={Link} href={`/marketplaces/${m.id}`} fw={600}>
                    {m.name}
                  </Anchor>
                  <Text size="xs" c="dimmed">
                    {m.driverLabel} · {countOf(m.appCount, { one: "app" })} ·{" "}
                    {m.monitoredAt ? `monitored ${formatDateTime(m.monitoredAt)}` : "not monitored yet"}
                  </Text>
                </div>
                <Stack gap={4} align="flex-end" maw={280} style={{ flexShrink: 0 }}>
                  <StateBadge state={m.state} />
                  <MonitorFailure market={m} />
                </Stack>
              </Group>
            ))}
          </Stack>
          {items.length > SHOWN_MARKETPLACES ? (
            <Anchor component={Link} href="/marketplaces" size="sm">
              {items.length - SHOWN_MARKETPLACES} more
            </Anchor>
          ) : null}
        </Stack>
      )}
    </Section>
  );
}

const RUNNING = { page: 1, perPage: 5, sort: "createdAt", order: "desc", active: "true" } as const;
const FAILED = { page: 1, perPage: 5, sort: "createdAt", order: "desc", state: "FAILED" } as const;

/** Transfers under way with their bars, and the last failures with their reasons. */
export function JobsCard() {
  const running = useJobs(RUNNING);
  const failed = useJobs(FAILED);
  return (
    <Section id="jobs-health" title="Jobs" link={{ href: "/jobs", label: "All jobs" }}>
      <Stack gap="md">
        <div>
          <Text size="sm" fw={600} mb={4}>
            Running and queued {running.data ? `(${running.data.total})` : ""}
          </Text>
          {!running.data ? (
            <Loading query={running} />
          ) : running.data.items.length === 0 ? (
            <Text size="sm" c="dimmed">
              Nothing is running.
            </Text>
          ) : (
            <Stack gap="xs" role="list" aria-label="Running jobs">
              {running.data.items.map((j) => (
                <div key={j.id} role="listitem">
                  <Anchor component={Link} href={`/jobs?show=active`} size="sm">
                    {j.title}
                  </Anchor>
                  <JobProgress job={j} label={j.title} compact />
                </div>
              ))}
            </Stack>
          )}
        </div>
        <div>
          <Text size="sm" fw={600} mb={4}>
            Failed lately {failed.data ? `(${failed.data.total} in all)` : ""}
          </Text>
          {!failed.data ? (
            <Loading query={failed} />
          ) : failed.data.items.length === 0 ? (
            <Text size="sm" c="dimmed">
              No job has failed.
            </Text>
          ) : (
            <Stack gap="xs" role="list" aria-label="Failed jobs">
              {failed.data.items.map((j) => (
                <div key={j.id} role="listitem">
                  <Group gap="xs" justify="space-between" wrap="nowrap">
                    <Text size="sm" fw={500} truncate>
                      {j.title}
                    </Text>
                    <Text size="xs" c="dimmed" style={{ whiteSpace: "nowrap" }}>
                      {formatDateTime(j.createdAt)}
                    </Text>
                  </Group>
                  <Text size="xs" c="red" lineClamp={2}>
                    {j.error || "failed without a reason"}
                  </Text>
                </div>
              ))}
            </Stack>
          )}
        </div>
      </Stack>
    </Section>
  );
}

const RECENT_APPS = { page: 1, perPage: 6, sort: "createdAt", order: "desc", state: "READY" } as const;

/** The newest apps ready to import, across every marketplace the user may use. */
export function RecentAppsCard() {
  const apps = useApps(RECENT_APPS);
  return (
    <Section id="recent-apps" title="New in the catalog" link={{ href: "/apps", label: "Browse the catalog" }}>
      {!apps.data ? (
        <Loading query={apps} />
      ) : apps.data.items.length === 0 ? (
        <Text size="sm" c="dimmed">
          No app is ready yet.
        </Text>
      ) : (
        <Stack gap="xs" role="list" aria-label="New apps">
          {apps.data.items.map((a) => (
            <Group key={a.id} role="listitem" gap="sm" wrap="nowrap">
              <AppLogo app={a} size={32} />
              <div style={{ minWidth: 0 }}>
                <Anchor component={Link} href={`/apps/${a.id}`} size="sm" fw={600}>
                  {a.name}
                </Anchor>
                <Text size="xs" c="dimmed" truncate>
                  {[
                    APP_TYPE_LABELS[a.type],
                    a.version,
                    a.sizeBytes ? formatBytes(a.sizeBytes) : "",
                    refName(a.marketplace),
                  ]
                    .filter(Boolean)
                    .join(" · ")}
                </Text>
              </div>
              <Badge variant="light" tt="none" ml="auto" style={{ flexShrink: 0 }}>
                {formatDateTime(a.createdAt)}
              </Badge>
            </Group>
          ))}
        </Stack>
      )}
    </Section>
  );
}

"use client";

import { Alert, Badge, Card, Group, Pagination, SimpleGrid, Skeleton, Stack, Text } from "@mantine/core";
import type { Page } from "@/components/api/types";
import { refLabel } from "@/components/permissions/object-ref";
import { formatBytes } from "@/components/transfer/format";
import { StateBadge } from "@/components/ui/state-badge";
import type { ListUrlState } from "@/components/ui/use-list-url-state";
import type { AppDto } from "./api";
import { AppActivity } from "./app-activity";
import type { AppFilterName } from "./app-filters";
import { canImport } from "./app-state";
import { AppLogo, AppName, AppTags, AppTypeBadge } from "./apps-table";
import { ImportAppButton } from "./import-app-modal";

/** One line for a card: a public catalog's short description, else the description's first line. */
function summaryOf(app: AppDto): string {
  return app.shortDescription.trim() || (app.description.split("\n").find((line) => line.trim()) ?? "").trim();
}

function AppCard({ app }: { app: AppDto }) {
  const summary = summaryOf(app);
  const byline = [app.version && `v${app.version}`, app.publisher].filter(Boolean).join(" · ");
  return (
    <Card withBorder padding="md" component="article" aria-label={`App ${app.name}`}>
      <Stack gap="xs" h="100%">
        <Group justify="space-between" wrap="nowrap" align="flex-start">
          <Group gap="sm" wrap="nowrap" align="flex-start" miw={0}>
            <AppLogo app={app} />
            <Stack gap={0} miw={0}>
              <AppName app={app} />
              {byline ? (
                <Text size="xs" c="dimmed" truncate="end">
                  {byline}
                </Text>
              ) : null}
            </Stack>
          </Group>
          <StateBadge state={app.state} />
        </Group>
        <Text size="sm" c={summary ? undefined : "dimmed"} lineClamp={3}>
          {summary || "No description"}
        </Text>
        <Group gap={4}>
          <AppTypeBadge app={app} />
          {[app.format, app.hypervisor, app.architecture].filter(Boolean).map((v) => (
            <Badge key={v} size="sm" variant="light" color="gray" tt="none">
              {v}
            </Badge>
          ))}
        </Group>
        <AppTags tags={app.tags} />
        <AppActivity app={app} compact />
        <Group justify="space-between" mt="auto" wrap="nowrap">
          <Text size="xs" c="dimmed">
            {app.sizeBytes ? formatBytes(app.sizeBytes) : "—"} · {refLabel("marketplace", app.marketplace)}
          </Text>
          {canImport(app) ? <ImportAppButton app={app} size="xs" /> : null}
        </Group>
      </Stack>
    </Card>
  );
}

interface AppCardsProps {
  list: ListUrlState<AppFilterName>;
  data: Page<AppDto> | undefined;
  isFetching: boolean;
  error: unknown;
}

/** The catalog as cards, paged like the table. */
export function AppCards({ list, data, isFetching, error }: AppCardsProps) {
  const { params, update } = list;
  const pages = data ? Math.max(1, Math.ceil(data.total / params.perPage)) : 1;
  return (
    <Stack gap="sm">
      {error ? (
        <Alert color="red" title="Could not load" role="alert">
          {error instanceof Error ? error.message : String(error)}
        </Alert>
      ) : null}
      {!data && isFetching ? (
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} aria-busy="true" aria-label="Loading">
          {[0, 1, 2].map((i) => (
            <Skeleton key={i} h={180} />
          ))}
        </SimpleGrid>
      ) : data?.items.length ? (
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }}>
          {data.items.map((app) => (
            <AppCard key={app.id} app={app} />
          ))}
        </SimpleGrid>
      ) : data ? (
        <Text c="dimmed" ta="center" py="xl">
          No apps match
        </Text>
      ) : null}
      {data && data.total > params.perPage ? (
        <Group justify="flex-end">
          <Pagination
            total={pages}
            value={params.page}
            onChange={(page) => update({ page })}
            getControlProps={(control) => ({ "aria-label": `${control} page` })}
            getItemProps={(page) => ({ "aria-label": `Page ${page}` })}
          />
        </Group>
      ) : null}
    </Stack>
  );
}

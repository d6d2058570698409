"use client";

import { Alert, Card, Group, Pagination, SimpleGrid, Skeleton, Stack, Text } from "@mantine/core";
import type { Page } from "@/components/api/types";
import { refLabel } from "@/components/permissions/object-ref";
import { formatBytes } from "@/components/transfer/format";
import { StateBadge } from "@/components/ui/state-badge";
import type { ListUrlState } from "@/components/ui/use-list-url-state";
import type { AppDto } from "./api";
import { AppActivity } from "./app-activity";
import type { AppFilterName } from "./app-filters";
import { AppLogo, AppTags, AppTitle, AppTypeBadge } from "./app-pieces";
import { canImport } from "./app-state";
import { ImportAppButton } from "./import-app-modal";

/** One line for a card: a public catalog's short description, else the description's first line. */
function summaryOf(app: AppDto): string {
  return app.shortDescription.trim() || (app.description.split("\n").find((line) => line.trim()) ?? "").trim();
}

const GRID = { base: 1, sm: 2, lg: 3 };

/**
 * An app as a storefront card: logo, name (two lines at most), version and publisher, a short
 * description, what it is, its first tags, then its size and marketplace with the Import button
 * at the bottom. Cards of one row are as tall as the tallest.
 */
function AppCard({ app }: { app: AppDto }) {
  const summary = summaryOf(app);
  const byline = [app.version && `v${app.version}`, app.publisher].filter(Boolean).join(" · ");
  const facts = [app.format, app.hypervisor, app.architecture].filter(Boolean).join(" · ");
  const footer = [app.sizeBytes ? formatBytes(app.sizeBytes) : "", refLabel("marketplace", app.marketplace)];
  return (
    <Card withBorder radius="md" padding="md" component="article" aria-label={`App ${app.name}`} h="100%">
      <Stack gap="sm" h="100%">
        <Group gap="sm" wrap="nowrap" align="flex-start">
          <AppLogo app={app} size={48} />
          <Stack gap={2} miw={0} style={{ flex: 1 }}>
            <AppTitle app={app} />
            {byline ? (
              <Text size="xs" c="dimmed" truncate="end" title={byline}>
                {byline}
              </Text>
            ) : null}
          </Stack>
          {app.state === "READY" ? null : <StateBadge state={app.state} />}
        </Group>
        <Text size="sm" c={summary ? undefined : "dimmed"} lineClamp={3} title={summary || undefined}>
          {summary || "No description"}
        </Text>
        <Group gap={6} wrap="nowrap" miw={0}>
          <AppTypeBadge app={app} />
          {facts ? (
            <Text size="xs" c="dimmed" truncate="end">
              {facts}
            </Text>
          ) : null}
        </Group>
        {app.tags.length ? <AppTags tags={app.tags} max={3} maxChars={28} /> : null}
        <AppActivity app={app} compact />
        <Group justify="space-between" wrap="nowrap" mt="auto" pt="xs" gap="sm">
          <Text size="xs" c="dimmed" truncate="end" miw={0}>
            {footer.filter(Boolean).join(" · ")}
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
        <SimpleGrid cols={GRID} aria-busy="true" aria-label="Loading">
          {[0, 1, 2, 3, 4, 5].map((i) => (
            <Skeleton key={i} h={220} radius="md" />
          ))}
        </SimpleGrid>
      ) : data?.items.length ? (
        <SimpleGrid cols={GRID} role="list" aria-label="Apps">
          {data.items.map((app) => (
            <div role="listitem" key={app.id}>
              <AppCard app={app} />
            </div>
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

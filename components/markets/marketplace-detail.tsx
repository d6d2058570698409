"use client";

import { Alert, Badge, Button, Tabs, Tooltip } from "@mantine/core";
import { IconRefresh } from "@tabler/icons-react";
import { AppsCatalog } from "@/components/apps/apps-catalog";
import { APP_LIST_DEFAULTS } from "@/components/apps/app-filters";
import { useSession } from "@/components/auth/session-context";
import { holdsRight } from "@/components/permissions/bits";
import { PermissionsPanel } from "@/components/permissions/permissions-panel";
import { formatBytes } from "@/components/transfer/format";
import { DetailHeader } from "@/components/ui/detail-header";
import { EnableToggle } from "@/components/ui/enable-toggle-button";
import { formatDateTime } from "@/components/ui/format";
import { notifyError, notifySuccess } from "@/components/ui/notify";
import { QueryView } from "@/components/ui/query-view";
import { StateBadge } from "@/components/ui/state-badge";
import { useListLocalState } from "@/components/ui/use-list-local-state";
import type { MarketplaceDto } from "./api";
import { CatalogPanel } from "./catalog-panel";
import { EditMarketplaceButton } from "./edit-marketplace-modal";
import { lastMonitoredText, MarketplaceInfoTab } from "./marketplace-info-tab";
import {
  useDeleteMarketplace,
  useInvalidateMarketplaces,
  useMarketplace,
  useMonitorMarketplace,
  useUpdateMarketplace,
} from "./queries";

export function MarketplaceDetail({ id }: { id: number }) {
  const query = useMarketplace(id);
  return <QueryView query={query}>{(market) => <MarketplaceView market={market} />}</QueryView>;
}

/**
 * Measures the backend now, or syncs a public catalog's apps (which has no capacity to measure);
 * the result (capacity or error) is stored and shown.
 */
function MonitorButton({ market, noManage }: { market: MarketplaceDto; noManage?: string }) {
  const monitor = useMonitorMarketplace();
  const refused =
    noManage ??
    (!market.local
      ? `Only zone ${market.zone.name} monitors this marketplace`
      : !market.capabilities.monitor && !market.public
        ? "This driver cannot be monitored"
        : market.public && !market.enabled
          ? "Enable the catalog to sync it"
          : undefined);
  const button = (
    <Button
      variant="default"
      leftSection={<IconRefresh size={16} aria-hidden />}
      loading={monitor.isPending}
      disabled={!!refused}
      onClick={() =>
        monitor.mutate(market.id, {
          onSuccess: (m) =>
            m.monitorError
              ? notifyError(new Error(`Monitoring ${m.name} failed: ${m.monitorError}`))
              : notifySuccess(
                  m.public
                    ? `Catalog ${m.name} synced: ${m.appCount === 1 ? "1 app" : `${m.appCount} apps`}`
                    : m.capacity
                      ? `Marketplace ${m.name} monitored: ${formatBytes(m.capacity.freeBytes)} free of ${formatBytes(m.capacity.totalBytes)}`
                      : `Marketplace ${m.name} monitored`,
                ),
          onError: (err) => notifyError(err),
        })
      }
    >
      Monitor now
    </Button>
  );
  return refused ? (
    <Tooltip label={refused}>
      <span>{button}</span>
    </Tooltip>
  ) : (
    button
  );
}

function MarketplaceView({ market }: { market: MarketplaceDto }) {
  const update = useUpdateMarketplace();
  const me = useSession().user;
  const remove = useDeleteMarketplace();
  const invalidate = useInvalidateMarketplaces();
  const apps = useListLocalState(APP_LIST_DEFAULTS);
  const canManage = holdsRight(me, market, "manage");
  const noManage = canManage ? undefined : "You need MANAGE permission on this marketplace";
  const appsText = market.appCount === 1 ? "1 app" : `${market.appCount} apps`;

  return (
    <>
      <DetailHeader
        name={market.name}
        badges={
          <>
            <StateBadge state={market.state} />
            {market.public ? (
              <Badge variant="outline" color="blue">
                Public catalog
              </Badge>
            ) : null}
            {market.catalog.export !== "off" ? (
              <Badge variant="outline" color="teal">
                {market.catalog.export === "public" ? "Served as a public catalog" : "Served as a token catalog"}
              </Badge>
            ) : null}
          </>
        }
        meta={`ID ${market.id} · ${market.driverLabel} · zone ${market.zone.name} · created ${formatDateTime(market.createdAt)}${market.public ? ` · Apps: ${market.appCount} · Last synced: ${lastMonitoredText(market)}` : ""}`}
        remove={{
          kind: "marketplace",
          name: market.name,
          consequence:
            market.appCount > 0
              ? `The marketplace ${market.name} holds ${appsText}; it can only be deleted together with them. Images imported from its apps stay.`
              : `The marketplace ${market.name} will be deleted. It holds no apps.`,
          option:
            market.appCount === 0
              ? undefined
              : market.public
                ? `Also delete its ${appsText} (the catalog itself keeps offering them)`
                : `Also delete its ${appsText} and their bytes`,
          disabledReason:
            noManage ?? (market.local ? undefined : `Only zone ${market.zone.name} can delete this marketplace`),
          onDelete: (deleteApps) => remove.mutateAsync({ id: market.id, deleteApps }),
          listPath: "/marketplaces",
        }}
      >
        <MonitorButton market={market} noManage={noManage} />
        <EnableToggle
          what="Marketplace"
          object={market}
          enabled={market.enabled}
          update={update}
          disabled={!canManage}
        />
        <EditMarketplaceButton market={market} disabled={!canManage} />
      </DetailHeader>
      {market.monitorError ? (
        <Alert color="red" role="alert" title={market.public ? "Sync failed" : "Monitoring failed"} mb="md" maw={760}>
          {market.monitorError}
        </Alert>
      ) : null}
      <Tabs defaultValue="info" keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="info">Info</Tabs.Tab>
          <Tabs.Tab value="apps">Apps ({market.appCount})</Tabs.Tab>
          {market.public ? null : <Tabs.Tab value="catalog">Catalog</Tabs.Tab>}
          <Tabs.Tab value="permissions">Permissions</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="info" pt="md">
          <MarketplaceInfoTab market={market} />
        </Tabs.Panel>
        <Tabs.Panel value="apps" pt="md">
          <AppsCatalog list={apps} marketplaceId={market.id} />
        </Tabs.Panel>
        {market.public ? null : (
          <Tabs.Panel value="catalog" pt="md">
            <CatalogPanel market={market} canManage={holdsRight(me, market, "admin")} />
          </Tabs.Panel>
        )}
        <Tabs.Panel value="permissions" pt="md">
          <PermissionsPanel
            resourcePath={`/marketplaces/${market.id}`}
            ownership={market}
            onChanged={invalidate}
            vdcGrants="marketplace"
          />
        </Tabs.Panel>
      </Tabs>
    </>
  );
}

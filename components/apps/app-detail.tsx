"use client";

import { Alert, Badge, Button, Stack, Tabs } from "@mantine/core";
import { IconDownload, IconLock } from "@tabler/icons-react";
import { useSession } from "@/components/auth/session-context";
import { JobsTable, JOB_LIST_DEFAULTS } from "@/components/jobs/jobs-table";
import { holdsRight } from "@/components/permissions/bits";
import { isShown, refName } from "@/components/permissions/object-ref";
import { PermissionsPanel } from "@/components/permissions/permissions-panel";
import { EnableToggle } from "@/components/ui/enable-toggle-button";
import { formatDateTime } from "@/components/ui/format";
import { DetailHeader } from "@/components/ui/detail-header";
import { QueryView } from "@/components/ui/query-view";
import { StateBadge } from "@/components/ui/state-badge";
import { useListLocalState } from "@/components/ui/use-list-local-state";
import { ZoneLink } from "@/components/zones/zone-link";
import { appDownloadHref, type AppDto } from "./api";
import { AppActivity } from "./app-activity";
import { AppContentsTab } from "./app-contents-tab";
import { AppInfoTab } from "./app-info-tab";
import { APP_TYPE_LABELS, canDownload, canImport, lockRefusal, partsText } from "./app-state";
import { AppTemplateTab } from "./app-template-tab";
import { CopyAppButton } from "./copy-app-modal";
import { EditAppButton } from "./edit-app-modal";
import { ImportAppButton } from "./import-app-modal";
import { LockActions } from "./lock-actions";
import { useApp, useDeleteApp, useInvalidateApps, useUpdateApp } from "./queries";

/** A composite app that uses this one keeps it: the API refuses the delete (409) while one does. */
function usedByRefusal(app: AppDto): string | undefined {
  if (!app.parents?.length) return undefined;
  const names = app.parents.map((p) => refName(p)).join(", ");
  return `Used by ${app.parents.length === 1 ? "app" : "apps"} ${names}: delete ${app.parents.length === 1 ? "it" : "them"} first`;
}

export function AppDetail({ id }: { id: number }) {
  const query = useApp(id);
  return <QueryView query={query}>{(app) => <AppView app={app} />}</QueryView>;
}

function AppView({ app }: { app: AppDto }) {
  const update = useUpdateApp();
  const { user: me, zone } = useSession();
  const remove = useDeleteApp();
  const invalidate = useInvalidateApps();
  const jobs = useListLocalState(JOB_LIST_DEFAULTS);
  const canManage = holdsRight(me, app, "manage");
  const manageRefused = canManage ? lockRefusal(app, "MANAGE") : "You need MANAGE permission on this app";
  const deleteRefused =
    manageRefused ??
    (app.zone.id !== zone.id ? `Only zone ${app.zone.name} can delete its apps` : undefined) ??
    usedByRefusal(app);
  const composite = app.type !== "IMAGE";
  // a public catalog's app is rewritten by each sync: the server refuses edits and deletes
  const fromCatalog = app.upstreamKey !== null;

  return (
    <>
      <DetailHeader
        name={app.name}
        badges={
          <>
            <StateBadge state={app.state} />
            {app.lockLevel ? (
              <Badge color="gray" variant="outline" leftSection={<IconLock size={12} aria-hidden />}>
                Locked ({app.lockLevel})
              </Badge>
            ) : null}
          </>
        }
        meta={
          <>
            ID {app.id} · {APP_TYPE_LABELS[app.type]}
            {composite && app.childCount ? ` (${partsText(app.childCount)})` : ""} · marketplace{" "}
            {refName(app.marketplace)} · zone{" "}
            <ZoneLink zone={app.zone} local={app.zone.id === zone.id} path={`/apps/${app.id}`} /> · created{" "}
            {formatDateTime(app.createdAt)}
          </>
        }
        remove={
          fromCatalog
            ? undefined
            : {
                kind: "app",
                name: app.name,
                consequence: composite
                  ? `The app ${app.name} will be deleted from marketplace ${refName(app.marketplace)}. Its child apps stay unless you also delete the ones its publish created (apps it reused, or that another app uses, always stay). Templates and images imported from it stay. This cannot be undone.`
                  : `The app ${app.name} and its bytes in marketplace ${refName(app.marketplace)} will be deleted. Images imported from it stay. This cannot be undone.`,
                option: composite && app.childCount ? "Also delete the child apps it created" : undefined,
                disabledReason: deleteRefused,
                onDelete: (withChildren) => remove.mutateAsync({ id: app.id, withChildren }),
                listPath: "/apps",
              }
        }
      >
        {canImport(app) ? <ImportAppButton app={app} /> : null}
        <CopyAppButton app={app} />
        {canDownload(app) ? (
          <Button
            component="a"
            href={appDownloadHref(app.id)}
            download
            variant="default"
            leftSection={<IconDownload size={16} aria-hidden />}
          >
            Download
          </Button>
        ) : null}
        {app.state === "READY" || app.state === "DISABLED" ? (
          <EnableToggle
            what="App"
            object={app}
            enabled={app.state === "READY"}
            update={update}
            disabled={!!manageRefused}
          />
        ) : null}
        <LockActions app={app} disabled={!canManage} />
        {fromCatalog ? null : <EditAppButton app={app} disabled={!!manageRefused} />}
      </DetailHeader>
      <Stack gap="md" mb="md" maw={760}>
        {app.state === "ERROR" ? (
          <Alert color="red" role="alert" title="The app failed">
            {app.error || "No reason was recorded."}
          </Alert>
        ) : null}
        {app.state === "READY" && isShown(app.marketplace) && !app.marketplace.enabled ? (
          <Alert color="gray" title="Marketplace disabled">
            Marketplace {app.marketplace.name} is disabled: its apps cannot be imported until it is enabled again.
          </Alert>
        ) : null}
        {fromCatalog ? (
          <Alert color="blue" title="Follows its public catalog">
            This app is synced from public catalog {refName(app.marketplace)}: it cannot be edited, deleted or given to
            another owner here. Administrators may disable it.
          </Alert>
        ) : null}
        <AppActivity app={app} withControls />
      </Stack>
      <Tabs defaultValue="info" keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="info">Info</Tabs.Tab>
          {composite ? <Tabs.Tab value="contents">Contents</Tabs.Tab> : null}
          <Tabs.Tab value="template">Template</Tabs.Tab>
          <Tabs.Tab value="permissions">Permissions</Tabs.Tab>
          <Tabs.Tab value="jobs">Jobs</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="info" pt="md">
          <AppInfoTab app={app} />
        </Tabs.Panel>
        {composite ? (
          <Tabs.Panel value="contents" pt="md">
            <AppContentsTab app={app} />
          </Tabs.Panel>
        ) : null}
        <Tabs.Panel value="template" pt="md">
          <AppTemplateTab app={app} />
        </Tabs.Panel>
        <Tabs.Panel value="permissions" pt="md">
          <PermissionsPanel resourcePath={`/apps/${app.id}`} ownership={app} onChanged={invalidate} vdcGrants="app" />
        </Tabs.Panel>
        <Tabs.Panel value="jobs" pt="md">
          <JobsTable list={jobs} object={{ type: "MARKETPLACE_APP", id: app.id }} />
        </Tabs.Panel>
      </Tabs>
    </>
  );
}

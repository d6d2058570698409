"use client";

import { Code, Group, Stack, Text } from "@mantine/core";
import { Hash, sizeText } from "@/components/images/image-info-tab";
import { useSession } from "@/components/auth/session-context";
import { ImageNameLink, ServiceTemplateNameLink, VmTemplateNameLink } from "@/components/permissions/named-link";
import { RefLink } from "@/components/permissions/object-ref";
import { formatDateTime } from "@/components/ui/format";
import { InfoList } from "@/components/ui/info-list";
import { ZoneLink } from "@/components/zones/zone-link";
import { StateBadge } from "@/components/ui/state-badge";
import type { AppDto } from "./api";
import { UsedBy } from "./app-contents-tab";
import { APP_TYPE_LABELS, LOCK_LEVEL_TEXT, partsText } from "./app-state";
import { AppLogo, AppTags } from "./apps-table";

/** The image an image app was published from, while it exists. */
function originImage(app: AppDto) {
  if (app.originImageId === null) return "";
  return <ImageNameLink id={app.originImageId} />;
}

/** The VM or service template a composite app was published from, while it exists. */
function originTemplate(app: AppDto) {
  if (app.originTemplateId === null) return "";
  return app.type === "SERVICE_TEMPLATE" ? (
    <ServiceTemplateNameLink id={app.originTemplateId} />
  ) : (
    <VmTemplateNameLink id={app.originTemplateId} />
  );
}

/** Where a public catalog's app comes from: the marketplace, and the catalog's own name of the app. */
function upstreamItems(app: AppDto) {
  if (app.upstreamKey === null) return [];
  return [
    {
      label: "Origin",
      value: (
        <>
          From public catalog{" "}
          <RefLink kind="marketplace" href={`/marketplaces/${app.marketplace.id}`} value={app.marketplace} /> as{" "}
          <Code>{app.upstreamKey}</Code>
        </>
      ),
    },
  ];
}

export function AppInfoTab({ app }: { app: AppDto }) {
  // apps published here rarely have a logo or a short description: no empty header for them
  const withHeader = app.upstreamKey !== null || !!app.logoUrl || !!app.shortDescription;
  return (
    <Stack gap="md" maw={760}>
      {withHeader ? (
        <Group gap="md" wrap="nowrap" align="center">
          <AppLogo app={app} size={64} />
          {app.shortDescription ? <Text size="sm">{app.shortDescription}</Text> : null}
        </Group>
      ) : null}
      <AppInfoList app={app} />
    </Stack>
  );
}

function AppInfoList({ app }: { app: AppDto }) {
  const { zone: localZone } = useSession();
  return (
    <InfoList
      label="App information"
      items={[
        { label: "Type", value: APP_TYPE_LABELS[app.type] },
        ...upstreamItems(app),
        ...(app.type === "IMAGE" ? [] : [{ label: "Parts", value: partsText(app.childCount) }]),
        ...(app.parents?.length ? [{ label: "Used by", value: <UsedBy parents={app.parents} /> }] : []),
        { label: "State", value: <StateBadge state={app.state} /> },
        {
          label: "Lock",
          value: app.lockLevel ? `${app.lockLevel} (${LOCK_LEVEL_TEXT[app.lockLevel]})` : "Not locked",
        },
        {
          label: "Marketplace",
          value: <RefLink kind="marketplace" href={`/marketplaces/${app.marketplace.id}`} value={app.marketplace} />,
        },
        {
          label: "Zone",
          value: <ZoneLink zone={app.zone} local={app.zone.id === localZone.id} path={`/apps/${app.id}`} markLocal />,
        },
        { label: "Version", value: app.version },
        { label: "Publisher", value: app.publisher },
        { label: "Tags", value: app.tags.length ? <AppTags tags={app.tags} /> : "" },
        { label: "Hypervisor", value: app.hypervisor },
        { label: "Architecture", value: app.architecture },
        // a composite app's bytes are in its parts
        ...(app.type === "IMAGE"
          ? [
              { label: "Format", value: app.format },
              { label: "Size", value: sizeText(app.sizeBytes) },
              { label: "Virtual size", value: sizeText(app.virtualSizeBytes) },
              { label: "MD5", value: app.md5 && <Hash label="md5" value={app.md5} /> },
              { label: "SHA-256", value: app.sha256 && <Hash label="sha256" value={app.sha256} /> },
            ]
          : []),
        { label: "Source", value: app.source },
        app.type === "IMAGE"
          ? { label: "Origin image", value: originImage(app) }
          : { label: "Origin template", value: originTemplate(app) },
        {
          label: "Description",
          // catalogs write descriptions in paragraphs: kept as written
          value: app.description && (
            <Text span size="sm" style={{ whiteSpace: "pre-wrap" }}>
              {app.description}
            </Text>
          ),
        },
        { label: "Owner", value: app.owner.name },
        { label: "Group", value: app.group.name },
        { label: "Created", value: formatDateTime(app.createdAt) },
        { label: "Updated", value: formatDateTime(app.updatedAt) },
      ]}
    />
  );
}

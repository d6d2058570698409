"use client";

import { useState } from "react";
import { Alert, Anchor, Code, Input, SegmentedControl, Stack, Text, Title } from "@mantine/core";
import { InfoList } from "@/components/ui/info-list";
import { notifyError, notifySuccess } from "@/components/ui/notify";
import type { CatalogExport, CatalogTokenDto, CreatedCatalogTokenDto, MarketplaceDto } from "./api";
import {
  absoluteCatalogUrl,
  catalogEndpoint,
  oneEndpoint,
  incusLaunchHint,
  incusRemoteAdd,
  incusRemoteName,
  oneMarketTemplate,
} from "./catalog-snippets";
import { CatalogTokens } from "./catalog-tokens";
import { CopyBlock, CopyValue } from "./copy-snippet";
import { useUpdateMarketplace } from "./queries";

const EXPORT_OPTIONS: { value: CatalogExport; label: string }[] = [
  { value: "off", label: "Off" },
  { value: "public", label: "Public" },
  { value: "token", label: "Token" },
];

const EXPORT_TEXT: Record<CatalogExport, string> = {
  off: "Not served as a catalog: other clouds cannot read it.",
  public:
    "Served as a public catalog: anyone may read it without signing in, like OpenNebula's public marketplace. It lists the ready apps that everyone may use (USE for others).",
  token:
    "Served to holders of a read token: it lists every ready app, to clients that give a token as a path segment or as the password of HTTP basic auth.",
};

/**
 * The "Catalog" tab of a marketplace that stores its apps (http, s3): whether other clouds may
 * read it as an OpenNebula marketplace and an Incus/LXD simplestreams remote, where, and with
 * which read tokens. Those with ADMIN on the marketplace switch it (what a catalog lists is not
 * held to each app's permissions); others read how it is served.
 */
export function CatalogPanel({ market, canManage }: { market: MarketplaceDto; canManage: boolean }) {
  const update = useUpdateMarketplace();
  // the secret of the token just created, filled into the snippets until it is revoked or the page left
  const [fresh, setFresh] = useState<CreatedCatalogTokenDto | null>(null);
  const mode = market.catalog.export;

  const change = (value: string) => {
    const catalogExport = value as CatalogExport;
    if (catalogExport === mode) return;
    update.mutate(
      { id: market.id, patch: { catalogExport } },
      {
        onSuccess: (m) =>
          notifySuccess(
            m.catalog.export === "off"
              ? `Marketplace ${m.name} is no longer served as a catalog`
              : `Marketplace ${m.name} is served as a ${m.catalog.export === "public" ? "public" : "token"} catalog`,
          ),
        onError: (err) => notifyError(err),
      },
    );
  };

  return (
    <Stack gap="md" maw={900}>
      <Text size="sm" c="dimmed">
        Other clouds can use this marketplace&apos;s apps without signing in to the portal: OpenNebula as a marketplace
        (<Code>MARKET_MAD = &quot;one&quot;</Code>), Incus and LXD as a simplestreams remote.
      </Text>
      {canManage ? (
        <Input.Wrapper label="Serve as a catalog" description={EXPORT_TEXT[mode]}>
          <div>
            <SegmentedControl
              mt={6}
              aria-label="Serve as a catalog"
              data={EXPORT_OPTIONS}
              // the choice being saved shows until the marketplace is read again
              value={update.isPending ? (update.variables.patch.catalogExport ?? mode) : mode}
              onChange={change}
              disabled={update.isPending}
            />
          </div>
        </Input.Wrapper>
      ) : (
        <Text size="sm">{EXPORT_TEXT[mode]}</Text>
      )}
      {mode !== "off" && !market.enabled ? (
        <Alert color="yellow" title="The marketplace is disabled">
          Its catalog answers &quot;404 Not Found&quot; until the marketplace is enabled again.
        </Alert>
      ) : null}
      {mode !== "off" && market.catalog.baseUrl ? (
        <CatalogUrls
          market={market}
          baseUrl={absoluteCatalogUrl(
            market.catalog.baseUrl,
            typeof window === "undefined" ? undefined : window.location.origin,
          )}
          needsToken={mode === "token"}
          canManage={canManage}
          fresh={fresh}
          onCreated={setFresh}
          onRevoked={(t) => setFresh((f) => (f?.id === t.id ? null : f))}
        />
      ) : null}
    </Stack>
  );
}

function CatalogUrls({
  market,
  baseUrl,
  needsToken,
  canManage,
  fresh,
  onCreated,
  onRevoked,
}: {
  market: MarketplaceDto;
  baseUrl: string;
  needsToken: boolean;
  canManage: boolean;
  fresh: CreatedCatalogTokenDto | null;
  onCreated: (t: CreatedCatalogTokenDto) => void;
  onRevoked: (t: CatalogTokenDto) => void;
}) {
  const endpoint = catalogEndpoint(baseUrl, needsToken, fresh?.token);
  const remote = incusRemoteName(market.name);
  return (
    <>
      <InfoList
        label="Catalog URLs"
        items={[
          {
            label: "OpenNebula endpoint",
            value: <CopyValue label="OpenNebula endpoint" value={oneEndpoint(endpoint)} />,
          },
          {
            label: "Appliance list",
            value: <CopyValue label="Appliance list URL" value={`${endpoint}/appliance`} />,
          },
          { label: "simplestreams (Incus)", value: <CopyValue label="simplestreams URL" value={endpoint} /> },
        ]}
      />
      {needsToken ? (
        <Text size="sm" c="dimmed">
          {fresh ? (
            <>
              Filled in with the secret of read token <strong>{fresh.name}</strong>, shown only until you leave this
              page.{" "}
            </>
          ) : (
            <>
              <Code>{"<TOKEN>"}</Code> stands for a read token&apos;s secret
              {canManage
                ? ": create one below to see it filled in"
                : ": ask an administrator of the marketplace for one"}
              .{" "}
            </>
          )}
          Clients that send HTTP basic auth may read <Code>{baseUrl}</Code> instead, with the token as the password
          (e.g. <Code>{`curl -u any:<TOKEN> ${baseUrl}/appliance`}</Code>).
        </Text>
      ) : null}
      <Stack gap="xs" component="section" aria-labelledby="catalog-one-title">
        <Title order={4} id="catalog-one-title">
          Add to OpenNebula
        </Title>
        <Text size="sm" c="dimmed">
          Save this template in a file on the OpenNebula front-end and run <Code>onemarket create &lt;file&gt;</Code>.
          The <Code>one</Code> driver reads <Code>{"<ENDPOINT>/appliance"}</Code> and downloads{" "}
          <Code>{"<ENDPOINT>appliance/<id>/download/0"}</Code>: the endpoint ends with a slash.
        </Text>
        <CopyBlock label="OpenNebula template" value={oneMarketTemplate(market.name, endpoint)} />
      </Stack>
      <Stack gap="xs" component="section" aria-labelledby="catalog-incus-title">
        <Title order={4} id="catalog-incus-title">
          Add to Incus or LXD
        </Title>
        <Text size="sm" c="dimmed">
          The remote lists the marketplace&apos;s IMAGE apps in qcow2 as virtual-machine images, by their names in lower
          case (<Code>lxc</Code> instead of <Code>incus</Code> for LXD).
        </Text>
        <CopyBlock label="Incus command" value={incusRemoteAdd(remote, endpoint)} />
        <CopyBlock label="Incus launch" value={incusLaunchHint(remote)} />
      </Stack>
      {needsToken && canManage ? (
        <CatalogTokens market={market} baseUrl={baseUrl} onCreated={onCreated} onRevoked={onRevoked} />
      ) : null}
      {needsToken && !fresh ? null : (
        <Text size="xs" c="dimmed">
          <Anchor href={`${endpoint}/appliance`} target="_blank" rel="noreferrer" size="xs">
            Open the appliance list
          </Anchor>{" "}
          to see what other clouds are given.
        </Text>
      )}
    </>
  );
}

"use client";

import { useState } from "react";
import { Alert, Button, Code, Group, Modal, Stack, Text, TextInput, Title } from "@mantine/core";
import { useForm } from "@mantine/form";
import { IconPlus } from "@tabler/icons-react";
import { DataTable } from "mantine-datatable";
import { confirmDelete } from "@/components/ui/confirm-delete";
import { FormActions, ModalButton } from "@/components/ui/modal-button";
import { notifyError, notifySuccess } from "@/components/ui/notify";
import { schemaValidate } from "@/components/ui/schema-validate";
import { catalogTokenBody } from "@/lib/markets/market-schemas";
import { SecretActions, tokenColumns } from "@/components/ui/token-pieces";
import type { CatalogTokenDto, CreatedCatalogTokenDto, MarketplaceDto } from "./api";
import { catalogEndpoint, incusRemoteAdd, incusRemoteName, oneMarketTemplate } from "./catalog-snippets";
import { CopyBlock } from "./copy-snippet";
import { useCatalogTokens, useCreateCatalogToken, useRevokeCatalogToken } from "./queries";

/**
 * A token catalog's read tokens (MANAGE): created here, each secret shown once, revoked with a
 * confirmation. `onCreated`/`onRevoked` let the tab fill the secret just made into its snippets.
 */
export function CatalogTokens({
  market,
  baseUrl,
  onCreated,
  onRevoked,
}: {
  market: MarketplaceDto;
  baseUrl: string;
  onCreated: (token: CreatedCatalogTokenDto) => void;
  onRevoked: (token: CatalogTokenDto) => void;
}) {
  const tokens = useCatalogTokens(market.id);
  const revoke = useRevokeCatalogToken(market.id);
  const onRevoke = (t: CatalogTokenDto) =>
    confirmDelete({
      title: `Revoke read token ${t.name}?`,
      message: `Clouds and hosts reading the catalog with ${t.prefix}… will get "401 Unauthorized" from now on. This cannot be undone.`,
      confirmLabel: "Revoke",
      onConfirm: () =>
        revoke.mutate(t.id, {
          onSuccess: () => {
            notifySuccess(`Read token ${t.name} revoked`);
            onRevoked(t);
          },
          onError: (err) => notifyError(err),
        }),
    });

  const cols = tokenColumns<CatalogTokenDto>();
  return (
    <Stack gap="sm" component="section" aria-labelledby="catalog-tokens-title">
      <Group justify="space-between">
        <Title order={4} id="catalog-tokens-title">
          Read tokens
        </Title>
        <CreateCatalogTokenButton market={market} baseUrl={baseUrl} onCreated={onCreated} />
      </Group>
      <DataTable<CatalogTokenDto>
        aria-label="Read tokens"
        withTableBorder
        borderRadius="sm"
        minHeight={tokens.data?.items.length ? undefined : 150}
        fetching={tokens.isPending}
        records={tokens.data?.items ?? []}
        noRecordsText={tokens.isError ? tokens.error.message : "No read tokens yet: nobody can read the catalog"}
        columns={[
          cols.name,
          cols.prefix,
          cols.createdAt,
          cols.lastUsedAt,
          {
            accessor: "actions",
            title: "Actions",
            textAlign: "right",
            render: (t) => (
              <Button
                size="xs"
                variant="subtle"
                color="red"
                aria-label={`Revoke ${t.name}`}
                onClick={() => onRevoke(t)}
              >
                Revoke
              </Button>
            ),
          },
        ]}
      />
    </Stack>
  );
}

function CreateCatalogTokenButton({
  market,
  baseUrl,
  onCreated,
}: {
  market: MarketplaceDto;
  baseUrl: string;
  onCreated: (token: CreatedCatalogTokenDto) => void;
}) {
  const [created, setCreated] = useState<CreatedCatalogTokenDto | null>(null);
  return (
    <>
      <ModalButton label="Create token" icon={<IconPlus size={16} aria-hidden />} title="Create read token">
        {(close) => (
          <CreateCatalogTokenForm
            marketplaceId={market.id}
            onCancel={close}
            onCreated={(token) => {
              close();
              setCreated(token);
              onCreated(token);
            }}
          />
        )}
      </ModalButton>
      <Modal
        opened={created !== null}
        onClose={() => setCreated(null)}
        title={`Read token ${created?.name ?? ""} created`}
        size="xl"
      >
        {created ? (
          <TokenSecret market={market} baseUrl={baseUrl} created={created} onDone={() => setCreated(null)} />
        ) : null}
      </Modal>
    </>
  );
}

function CreateCatalogTokenForm({
  marketplaceId,
  onCancel,
  onCreated,
}: {
  marketplaceId: number;
  onCancel: () => void;
  onCreated: (t: CreatedCatalogTokenDto) => void;
}) {
  const create = useCreateCatalogToken(marketplaceId);
  const form = useForm({
    initialValues: { name: "" },
    validate: schemaValidate(catalogTokenBody),
  });
  const submit = form.onSubmit((v) =>
    create.mutate(v.name.trim(), {
      onSuccess: (token) => {
        notifySuccess(`Read token ${token.name} created`);
        form.reset();
        onCreated(token);
      },
      onError: (err) => notifyError(err, form),
    }),
  );
  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <TextInput
          label="Name"
          data-autofocus
          autoComplete="off"
          description="Who reads the catalog with it, e.g. “opennebula-prod”"
          {...form.getInputProps("name")}
        />
        <FormActions submitLabel="Create" pending={create.isPending} onCancel={onCancel} />
      </Stack>
    </form>
  );
}

/** The secret, once, and where it goes: OpenNebula's ENDPOINT and the Incus remote's URL. */
function TokenSecret({
  market,
  baseUrl,
  created,
  onDone,
}: {
  market: MarketplaceDto;
  baseUrl: string;
  created: CreatedCatalogTokenDto;
  onDone: () => void;
}) {
  const endpoint = catalogEndpoint(baseUrl, true, created.token);
  return (
    <Stack>
      <Alert color="yellow" title="Copy it now">
        This token will not be shown again. Give it as a path segment (<Code>{"…/t/<token>/…"}</Code>, as below) or as
        the password of HTTP basic auth (any user name).
      </Alert>
      <Code
        block
        data-testid="catalog-token-secret"
        aria-label="Token secret"
        style={{ wordBreak: "break-all", whiteSpace: "pre-wrap" }}
      >
        {created.token}
      </Code>
      <Text size="sm" fw={600}>
        OpenNebula marketplace template
      </Text>
      <CopyBlock label="OpenNebula template with the token" value={oneMarketTemplate(market.name, endpoint)} />
      <Text size="sm" fw={600}>
        Incus or LXD remote
      </Text>
      <CopyBlock label="Incus command with the token" value={incusRemoteAdd(incusRemoteName(market.name), endpoint)} />
      <SecretActions secret={created.token} onDone={onDone} />
    </Stack>
  );
}

"use client";

import { Badge, Button, Stack } from "@mantine/core";
import { DataTable } from "mantine-datatable";
import { confirmDelete } from "@/components/ui/confirm-delete";
import { formatDateTime } from "@/components/ui/format";
import { tokenColumns } from "@/components/ui/token-pieces";
import { notifyError, notifySuccess } from "@/components/ui/notify";
import type { TokenDto } from "./api";
import { CreateTokenButton } from "./create-token-modal";
import { useRevokeToken, useTokens } from "./queries";

export function TokensPanel() {
  const tokens = useTokens();
  const revoke = useRevokeToken();
  const onRevoke = (t: TokenDto) =>
    confirmDelete({
      title: `Revoke token ${t.name}?`,
      message: `Scripts and clients using ${t.prefix}… will get "401 Unauthorized" from now on. This cannot be undone.`,
      confirmLabel: "Revoke",
      onConfirm: () =>
        revoke.mutate(t.id, {
          onSuccess: () => notifySuccess(`Token ${t.name} revoked`),
          onError: (err) => notifyError(err),
        }),
    });

  const cols = tokenColumns<TokenDto>();
  return (
    <Stack gap="sm">
      <div>
        <CreateTokenButton />
      </div>
      <DataTable<TokenDto>
        aria-label="API tokens"
        withTableBorder
        borderRadius="sm"
        minHeight={tokens.data?.items.length ? undefined : 150}
        fetching={tokens.isPending}
        records={tokens.data?.items ?? []}
        noRecordsText={tokens.isError ? tokens.error.message : "No API tokens yet"}
        columns={[
          cols.name,
          cols.prefix,
          cols.createdAt,
          { accessor: "expiresAt", title: "Expires", render: (t) => formatDateTime(t.expiresAt) },
          cols.lastUsedAt,
          {
            accessor: "expired",
            title: "Status",
            render: (t) =>
              t.expired ? (
                <Badge color="gray">Expired</Badge>
              ) : (
                <Badge color="green" variant="light">
                  Active
                </Badge>
              ),
          },
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

"use client";

import { Button, CopyButton, Group } from "@mantine/core";
import { IconCheck, IconCopy } from "@tabler/icons-react";
import type { DataTableColumn } from "mantine-datatable";
import { formatDateTime } from "./format";

/** The end of a "copy it now" dialog for a secret shown once: copy it, then done. */
export function SecretActions({ secret, onDone }: { secret: string; onDone: () => void }) {
  return (
    <Group justify="flex-end">
      <CopyButton value={secret}>
        {({ copied, copy }) => (
          <Button
            variant="light"
            color={copied ? "teal" : undefined}
            leftSection={copied ? <IconCheck size={16} aria-hidden /> : <IconCopy size={16} aria-hidden />}
            onClick={copy}
          >
            {copied ? "Copied" : "Copy token"}
          </Button>
        )}
      </CopyButton>
      <Button onClick={onDone}>Done</Button>
    </Group>
  );
}

interface TokenRow {
  name: string;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
}

/** The columns every token table starts with (API tokens, catalog read tokens). */
export function tokenColumns<T extends TokenRow>(): {
  name: DataTableColumn<T>;
  prefix: DataTableColumn<T>;
  createdAt: DataTableColumn<T>;
  lastUsedAt: DataTableColumn<T>;
} {
  return {
    name: { accessor: "name", title: "Name" },
    prefix: { accessor: "prefix", title: "Prefix", render: (t) => <code>{t.prefix}…</code> },
    createdAt: { accessor: "createdAt", title: "Created", render: (t) => formatDateTime(t.createdAt) },
    lastUsedAt: {
      accessor: "lastUsedAt",
      title: "Last used",
      render: (t) => (t.lastUsedAt ? formatDateTime(t.lastUsedAt) : "Never"),
    },
  };
}

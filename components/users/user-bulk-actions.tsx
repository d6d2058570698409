"use client";

import { Button, Group, Paper, Text } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { confirmDelete } from "@/components/ui/confirm-delete";
import { notifySuccess } from "@/components/ui/notify";
import type { UserDto } from "./api";
import { useDeleteUser, useUpdateUser } from "./queries";

const plural = (n: number) => `${n} user${n === 1 ? "" : "s"}`;

/** Enable, disable or delete the selected users; reports what failed and why. */
export function UserBulkActions({ selected, onDone }: { selected: UserDto[]; onDone: () => void }) {
  const update = useUpdateUser();
  const remove = useDeleteUser();
  if (selected.length === 0) return null;

  const run = async (verb: string, action: (u: UserDto) => Promise<unknown>) => {
    const results = await Promise.allSettled(selected.map(action));
    const failed = results.flatMap((r, i) =>
      r.status === "rejected" ? [`${selected[i].username}: ${(r.reason as Error).message}`] : [],
    );
    const done = results.length - failed.length;
    if (done > 0) notifySuccess(`${verb} ${plural(done)}`);
    if (failed.length > 0) {
      notifications.show({
        color: "red",
        title: `${failed.length} failed`,
        message: failed.join("\n"),
        autoClose: false,
      });
    }
    onDone();
  };

  const busy = update.isPending || remove.isPending;
  return (
    <Paper withBorder p="xs" role="region" aria-label="Bulk actions">
      <Group gap="sm">
        <Text size="sm" fw={600}>
          {selected.length} selected
        </Text>
        <Button
          size="xs"
          variant="light"
          color="green"
          disabled={busy}
          onClick={() => run("Enabled", (u) => update.mutateAsync({ id: u.id, patch: { enabled: true } }))}
        >
          Enable
        </Button>
        <Button
          size="xs"
          variant="light"
          color="gray"
          disabled={busy}
          onClick={() => run("Disabled", (u) => update.mutateAsync({ id: u.id, patch: { enabled: false } }))}
        >
          Disable
        </Button>
        <Button
          size="xs"
          variant="light"
          color="red"
          disabled={busy}
          onClick={() =>
            confirmDelete({
              title: `Delete ${plural(selected.length)}?`,
              message: `${selected.map((u) => u.username).join(", ")} will be deleted with their sessions, API tokens and group memberships. This cannot be undone.`,
              onConfirm: () => run("Deleted", (u) => remove.mutateAsync(u.id)),
            })
          }
        >
          Delete
        </Button>
      </Group>
    </Paper>
  );
}

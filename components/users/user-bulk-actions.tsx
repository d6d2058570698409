"use client";

import { BulkActions, switchActions, type BulkAction } from "@/components/ui/bulk-actions";
import type { UserDto } from "./api";
import { useDeleteUser, useUpdateUser } from "./queries";

/** Enable, disable or delete the selected users, with each user's outcome. */
export function UserBulkActions({ selected, onDone }: { selected: UserDto[]; onDone: () => void }) {
  const update = useUpdateUser();
  const remove = useDeleteUser();
  const actions: BulkAction<UserDto>[] = [
    ...switchActions<UserDto>({
      enabled: (u) => u.enabled,
      set: (u, enabled) => update.mutateAsync({ id: u.id, patch: { enabled } }),
    }),
    {
      label: "Delete",
      color: "red",
      message: "They will be deleted with their sessions, API tokens and group memberships. This cannot be undone.",
      run: (u) => remove.mutateAsync(u.id),
    },
  ];
  return (
    <BulkActions
      selected={selected}
      onClear={onDone}
      describe={(u) => u.username}
      noun={{ one: "user" }}
      actions={actions}
    />
  );
}

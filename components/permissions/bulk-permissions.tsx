"use client";

import { Select, Stack } from "@mantine/core";
import { useSession } from "@/components/auth/session-context";
import { useGroupOptions } from "@/components/groups/queries";
import { withForm, type BulkAction } from "@/components/ui/bulk-actions";
import { firstRefusal } from "@/components/ui/bulk-plan";
import type { OwnershipDto } from "@/lib/permissions/shared-dto";
import * as permissionsApi from "./api";
import { gridOf, gridToOctal, holdsRight, type Me, type PermGrid } from "./bits";
import { PermissionGrid } from "./permissions-panel";
import { useOwnerOptions } from "./queries";

type Owned = Pick<OwnershipDto, "owner" | "group" | "permissions"> & { id: number };

/** Why `me` may not manage the object, judged from its bits (the server decides again). */
export function manageRefusal(me: Me, o: Owned): string | undefined {
  return holdsRight(me, o, "manage") ? undefined : "You need MANAGE permission on it";
}

interface PermissionActionsOptions<T> {
  /** the objects' API collection, e.g. "/images" */
  collection: string;
  /** what else stops a change (an app's lock), checked after MANAGE */
  refusal?: (o: T) => string | undefined;
  /** refreshes the lists a change shows in, once after the run */
  invalidate: () => unknown;
}

/** "Change ownership" (chown/chgrp) and "Change permissions" (chmod) for a selection of shared objects. */
export function usePermissionActions<T extends Owned>({
  collection,
  refusal,
  invalidate,
}: PermissionActionsOptions<T>): BulkAction<T>[] {
  const me = useSession().user;
  const applies = (o: T) => firstRefusal(manageRefusal(me, o), refusal?.(o));
  return [
    withForm<T, Ownership>({
      label: "Change ownership",
      phrase: (what) => `Change the owner or group of ${what}`,
      applies,
      form: {
        initial: () => ({ ownerId: null, groupId: null }),
        Fields: OwnershipFields,
        incomplete: (v) => (v.ownerId || v.groupId ? undefined : "Choose a new owner, a new group or both"),
      },
      run: (o, v) =>
        permissionsApi.chown(`${collection}/${o.id}`, {
          ...(v.ownerId ? { ownerId: Number(v.ownerId) } : {}),
          ...(v.groupId ? { groupId: Number(v.groupId) } : {}),
        }),
      settled: invalidate,
    }),
    withForm<T, PermGrid>({
      label: "Change permissions",
      phrase: (what) => `Change the permissions of ${what}`,
      applies,
      message:
        "Changing an ADMIN bit needs ADMIN permission on the object: where you lack it, the change fails and says so.",
      form: {
        initial: (targets) => (targets[0] ? gridOf(targets[0].permissions) : OWNER_ONLY),
        Fields: PermissionFields,
      },
      run: (o, grid) => permissionsApi.chmod(`${collection}/${o.id}`, gridToOctal(grid)),
      settled: invalidate,
    }),
  ];
}

const NONE = { use: false, manage: false, admin: false };
const OWNER_ONLY: PermGrid = { owner: { use: true, manage: true, admin: false }, group: NONE, other: NONE };

interface Ownership {
  ownerId: string | null;
  groupId: string | null;
}

interface FieldsProps<V> {
  value: V;
  onChange: (value: V) => void;
  disabled: boolean;
}

/** The owner and group pickers of the permissions panel; an empty one keeps each object's own. */
function OwnershipFields({ value, onChange, disabled }: FieldsProps<Ownership>) {
  const { isAdmin } = useSession().user;
  const owners = useOwnerOptions(isAdmin);
  const groups = useGroupOptions();
  return (
    <Stack gap="sm" maw={360}>
      {isAdmin ? (
        <Select
          label="New owner"
          placeholder="Keep each owner"
          data={owners}
          value={value.ownerId}
          onChange={(ownerId) => onChange({ ...value, ownerId })}
          searchable
          clearable
          disabled={disabled}
        />
      ) : null}
      <Select
        label="New group"
        placeholder="Keep each group"
        description={isAdmin ? undefined : "One of your groups"}
        data={groups}
        value={value.groupId}
        onChange={(groupId) => onChange({ ...value, groupId })}
        searchable
        clearable
        disabled={disabled}
      />
    </Stack>
  );
}

/** The 3×3 grid of the permissions panel, given once for every object. */
function PermissionFields({ value: grid, onChange, disabled }: FieldsProps<PermGrid>) {
  return (
    <Stack gap={6}>
      <PermissionGrid
        label="New permissions"
        grid={grid}
        isDisabled={() => disabled}
        onToggle={(c, r, checked) => onChange({ ...grid, [c]: { ...grid[c], [r]: checked } })}
        octalTestId="bulk-permissions-octal"
      />
    </Stack>
  );
}

"use client";

import { Select } from "@mantine/core";
import { useSession } from "@/components/auth/session-context";
import { refName } from "@/components/permissions/object-ref";
import { manageRefusal, usePermissionActions } from "@/components/permissions/bulk-permissions";
import { switchActions, withForm, type BulkAction } from "@/components/ui/bulk-actions";
import { firstRefusal } from "@/components/ui/bulk-plan";
import type { AppDto, LockLevel } from "./api";
import { LOCK_LEVEL_TEXT, LOCK_LEVELS, lockRefusal } from "./app-state";
import { useDeleteApp, useInvalidateApps, useLockApp, useUnlockApp, useUpdateApp } from "./queries";

const FOLLOWS_CATALOG = "It follows its public catalog";

/** What the apps table offers for its selected rows: the app page's actions, for many. */
export function useAppBulkActions(): BulkAction<AppDto>[] {
  const { user: me, zone } = useSession();
  const update = useUpdateApp();
  const lock = useLockApp();
  const unlock = useUnlockApp();
  const remove = useDeleteApp();
  const invalidate = useInvalidateApps();
  const manage = (a: AppDto) => firstRefusal(manageRefusal(me, a), lockRefusal(a, "MANAGE"));
  return [
    ...switchActions<AppDto>({
      enabled: (a) =>
        a.state === "READY" ? true : a.state === "DISABLED" ? false : "Only a ready or disabled app can be switched",
      refusal: manage,
      set: (a, enabled) => update.mutateAsync({ id: a.id, patch: { enabled } }),
    }),
    withForm<AppDto, LockLevel>({
      label: "Lock",
      applies: (a) => (a.lockLevel ? `Already locked (${a.lockLevel})` : manageRefusal(me, a)),
      form: { initial: () => "USE", Fields: LockLevelField },
      run: (a, level) => lock.mutateAsync({ id: a.id, level }),
    }),
    {
      label: "Unlock",
      // taking a lock off is never blocked by the lock itself
      applies: (a) => (a.lockLevel ? manageRefusal(me, a) : "It is not locked"),
      run: (a) => unlock.mutateAsync(a.id),
    },
    {
      label: "Delete",
      color: "red",
      message:
        "Their bytes in their marketplaces will be deleted; the child apps of a composite app stay. Images imported from them stay. This cannot be undone.",
      applies: (a) =>
        firstRefusal(
          a.upstreamKey !== null && FOLLOWS_CATALOG,
          manage(a),
          a.zone.id !== zone.id && `Only zone ${a.zone.name} can delete its apps`,
          !!a.parents?.length && `Used by ${a.parents.map((p) => refName(p)).join(", ")}; delete that first`,
        ),
      run: (a) => remove.mutateAsync({ id: a.id }),
    },
    ...usePermissionActions<AppDto>({
      collection: "/apps",
      // a public catalog's app is everyone's: only admins change who holds it
      refusal: (a) => lockRefusal(a, "MANAGE") ?? (a.upstreamKey !== null && !me.isAdmin ? FOLLOWS_CATALOG : undefined),
      invalidate,
    }),
  ];
}

function LockLevelField({
  value,
  onChange,
  disabled,
}: {
  value: LockLevel;
  onChange: (v: LockLevel) => void;
  disabled: boolean;
}) {
  return (
    <Select
      label="Lock level"
      data={LOCK_LEVELS.map((l) => ({ value: l, label: `${l}: ${LOCK_LEVEL_TEXT[l]}` }))}
      value={value}
      onChange={(v) => v && onChange(v as LockLevel)}
      allowDeselect={false}
      disabled={disabled}
      maw={360}
    />
  );
}

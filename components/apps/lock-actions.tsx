"use client";

import { Button, Menu } from "@mantine/core";
import { IconChevronDown, IconLock, IconLockOpen } from "@tabler/icons-react";
import { notifyError, notifySuccess } from "@/components/ui/notify";
import type { AppDto } from "./api";
import { LOCK_LEVEL_TEXT, LOCK_LEVELS } from "./app-state";
import { useLockApp, useUnlockApp } from "./queries";

/** "Lock" with its level (USE, MANAGE, ADMIN) while the app is unlocked, "Unlock" while it is locked. */
export function LockActions({ app, disabled }: { app: AppDto; disabled?: boolean }) {
  const lock = useLockApp();
  const unlock = useUnlockApp();
  const callbacks = (done: string) => ({
    onSuccess: () => notifySuccess(`App ${app.name} ${done}`),
    onError: (err: Error) => notifyError(err),
  });

  if (app.lockLevel) {
    return (
      <Button
        variant="default"
        leftSection={<IconLockOpen size={16} aria-hidden />}
        loading={unlock.isPending}
        disabled={disabled}
        onClick={() => unlock.mutate(app.id, callbacks("unlocked"))}
      >
        Unlock
      </Button>
    );
  }
  return (
    <Menu position="bottom-end" width={300}>
      <Menu.Target>
        <Button
          variant="default"
          leftSection={<IconLock size={16} aria-hidden />}
          rightSection={<IconChevronDown size={14} aria-hidden />}
          loading={lock.isPending}
          disabled={disabled}
        >
          Lock
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>Lock level</Menu.Label>
        {LOCK_LEVELS.map((level) => (
          <Menu.Item
            key={level}
            onClick={() => lock.mutate({ id: app.id, level }, callbacks(`locked (${level})`))}
            aria-label={`Lock ${level}: ${LOCK_LEVEL_TEXT[level]}`}
          >
            {level}: {LOCK_LEVEL_TEXT[level]}
          </Menu.Item>
        ))}
      </Menu.Dropdown>
    </Menu>
  );
}

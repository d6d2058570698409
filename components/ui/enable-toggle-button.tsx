"use client";

import { Button } from "@mantine/core";
import { IconPlayerPause, IconPlayerPlay } from "@tabler/icons-react";
import { notifyError, notifySuccess } from "./notify";

interface EnableToggleButtonProps {
  /** the object's current state: the button offers the opposite */
  enabled: boolean;
  onToggle: (enable: boolean) => void;
  loading?: boolean;
  disabled?: boolean;
}

/** A detail toolbar's "Enable" / "Disable" button. */
export function EnableToggleButton({ enabled, onToggle, loading, disabled }: EnableToggleButtonProps) {
  return (
    <Button
      variant="default"
      leftSection={enabled ? <IconPlayerPause size={16} aria-hidden /> : <IconPlayerPlay size={16} aria-hidden />}
      loading={loading}
      disabled={disabled}
      onClick={() => onToggle(!enabled)}
    >
      {enabled ? "Disable" : "Enable"}
    </Button>
  );
}

/** The part of a `useUpdate…()` mutation that the toggle needs. */
interface EnableMutation {
  isPending: boolean;
  mutate(
    variables: { id: number; patch: { enabled: boolean } },
    options: { onSuccess: () => void; onError: (err: Error) => void },
  ): void;
}

/** Enable / Disable on a detail toolbar: one PATCH `{ enabled }`, a toast, errors shown. */
export function EnableToggle({
  what,
  object,
  enabled,
  update,
  disabled,
}: {
  /** "Image", "Datastore", … for the toast */
  what: string;
  object: { id: number; name: string };
  enabled: boolean;
  update: EnableMutation;
  disabled?: boolean;
}) {
  return (
    <EnableToggleButton
      enabled={enabled}
      loading={update.isPending}
      disabled={disabled}
      onToggle={(enable) =>
        update.mutate(
          { id: object.id, patch: { enabled: enable } },
          {
            onSuccess: () => notifySuccess(`${what} ${object.name} ${enable ? "enabled" : "disabled"}`),
            onError: (err) => notifyError(err),
          },
        )
      }
    />
  );
}

"use client";

import { Button } from "@mantine/core";
import { IconPlayerPause, IconPlayerPlay } from "@tabler/icons-react";

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

import type { ReactNode } from "react";
import { Text } from "@mantine/core";
import { modals } from "@mantine/modals";

interface ConfirmDeleteOptions {
  title: string;
  /** what will be lost */
  message: ReactNode;
  confirmLabel?: string;
  onConfirm: () => void;
}

/** Asks before a destructive action, saying what will be lost. */
export function confirmDelete({ title, message, confirmLabel = "Delete", onConfirm }: ConfirmDeleteOptions) {
  modals.openConfirmModal({
    title,
    children: typeof message === "string" ? <Text size="sm">{message}</Text> : message,
    labels: { confirm: confirmLabel, cancel: "Cancel" },
    confirmProps: { color: "red" },
    onConfirm,
  });
}

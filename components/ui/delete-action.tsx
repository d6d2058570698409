"use client";

import { ActionIcon, Button, Checkbox, Stack, Text, Tooltip } from "@mantine/core";
import { IconTrash } from "@tabler/icons-react";
import { confirmDelete } from "./confirm-delete";
import { notifyError, notifySuccess } from "./notify";

interface DeleteActionProps {
  /** e.g. "group" */
  kind: string;
  name: string;
  /** what will be lost, shown in the confirmation */
  consequence: string;
  /** set when deleting is refused (built-in, local, yourself): the control is disabled and says why */
  disabledReason?: string;
  /** a checkbox in the confirmation that widens the delete (e.g. "Also delete its apps"); onDelete gets its value */
  option?: string;
  onDelete: (optionChecked: boolean) => Promise<unknown>;
  onDeleted?: () => void;
  /** an icon in a table row, or a labelled button in a detail toolbar */
  variant?: "icon" | "button";
}

/** Delete with confirmation and a toast; used in table rows and detail toolbars. */
export function DeleteAction({
  kind,
  name,
  consequence,
  disabledReason,
  option,
  onDelete,
  onDeleted,
  variant = "icon",
}: DeleteActionProps) {
  const ask = () => {
    // one confirmation's choice: a new one starts unchecked
    let optionChecked = false;
    confirmDelete({
      title: `Delete ${kind} ${name}?`,
      message: option ? (
        <Stack gap="sm">
          <Text size="sm">{consequence}</Text>
          <Checkbox label={option} onChange={(e) => (optionChecked = e.currentTarget.checked)} />
        </Stack>
      ) : (
        consequence
      ),
      onConfirm: () =>
        onDelete(optionChecked).then(
          () => {
            notifySuccess(`${kind.charAt(0).toUpperCase()}${kind.slice(1)} ${name} deleted`);
            onDeleted?.();
          },
          (err) => notifyError(err),
        ),
    });
  };
  const control =
    variant === "icon" ? (
      <ActionIcon
        variant="subtle"
        color="red"
        aria-label={`Delete ${kind} ${name}`}
        disabled={!!disabledReason}
        onClick={ask}
      >
        <IconTrash size={16} aria-hidden />
      </ActionIcon>
    ) : (
      <Button
        color="red"
        variant="light"
        leftSection={<IconTrash size={16} aria-hidden />}
        disabled={!!disabledReason}
        onClick={ask}
      >
        Delete
      </Button>
    );
  return disabledReason ? (
    <Tooltip label={disabledReason}>
      <span>{control}</span>
    </Tooltip>
  ) : (
    control
  );
}

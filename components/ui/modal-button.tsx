"use client";

import type { ReactNode } from "react";
import { Button, Group, Modal, type ButtonProps, type ModalProps } from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";

interface ModalButtonProps {
  label: string;
  icon?: ReactNode;
  variant?: ButtonProps["variant"];
  disabled?: boolean;
  /** the dialog's title */
  title: ReactNode;
  size?: ModalProps["size"];
  /** the dialog's content, given the function that closes it */
  children: (close: () => void) => ReactNode;
}

/** A toolbar button that opens a dialog (create, edit, import…). */
export function ModalButton({ label, icon, variant, disabled, title, size, children }: ModalButtonProps) {
  const [opened, { open, close }] = useDisclosure(false);
  return (
    <>
      <Button variant={variant} leftSection={icon} onClick={open} disabled={disabled}>
        {label}
      </Button>
      <Modal opened={opened} onClose={close} title={title} size={size}>
        {children(close)}
      </Modal>
    </>
  );
}

/** Cancel and submit, at the end of a dialog's form. */
export function FormActions({
  submitLabel,
  pending,
  disabled,
  onCancel,
}: {
  submitLabel: string;
  pending?: boolean;
  disabled?: boolean;
  onCancel: () => void;
}) {
  return (
    <Group justify="flex-end">
      <Button variant="default" onClick={onCancel}>
        Cancel
      </Button>
      <Button type="submit" loading={pending} disabled={disabled}>
        {submitLabel}
      </Button>
    </Group>
  );
}

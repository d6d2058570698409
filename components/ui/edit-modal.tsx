"use client";

import type { ReactNode } from "react";
import { Stack, type ModalProps } from "@mantine/core";
import type { UseFormReturnType } from "@mantine/form";
import { IconEdit } from "@tabler/icons-react";
import { FormActions, ModalButton } from "./modal-button";
import { notifyError, notifySuccess } from "./notify";

/** "Edit" in a detail toolbar: opens "Edit <kind> <name>" with the form `children` renders. */
export function EditButton({
  kind,
  name,
  disabled,
  size = "lg",
  children,
}: {
  kind: string;
  name: string;
  disabled?: boolean;
  size?: ModalProps["size"];
  children: (close: () => void) => ReactNode;
}) {
  return (
    <ModalButton
      label="Edit"
      icon={<IconEdit size={16} aria-hidden />}
      variant="default"
      disabled={disabled}
      title={`Edit ${kind} ${name}`}
      size={size}
    >
      {children}
    </ModalButton>
  );
}

/** The fields of `next` whose value differs from `current`'s (compared as JSON, so lists too). */
export function changedFields<T extends object>(next: T, current: object): Partial<T> {
  const was = current as Record<string, unknown>;
  return Object.fromEntries(
    Object.entries(next).filter(([key, value]) => JSON.stringify(value) !== JSON.stringify(was[key])),
  ) as Partial<T>;
}

interface EditFormProps<V, P> {
  form: UseFormReturnType<V>;
  /** "App": the notice says "App <name> saved" */
  kind: string;
  /** the changes to send; none closes the dialog without asking the server */
  patchOf: (values: V) => P;
  save: (patch: P) => Promise<{ name: string }>;
  pending: boolean;
  onDone: () => void;
  /** where the server's field errors go, when its names are not the form's */
  errorTarget?: { setErrors: (errors: Record<string, string>) => void };
  children: ReactNode;
}

/** An edit dialog's form: its fields, Cancel and Save; only what changed is sent. */
export function EditForm<V, P extends object>(props: EditFormProps<V, P>) {
  const { form, kind, patchOf, save, pending, onDone, errorTarget, children } = props;
  const submit = form.onSubmit((v) => {
    const patch = patchOf(v);
    if (Object.keys(patch).length === 0) return onDone();
    return save(patch).then(
      (saved) => {
        notifySuccess(`${kind} ${saved.name} saved`);
        onDone();
      },
      (err) => notifyError(err, errorTarget ?? form),
    );
  });
  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        {children}
        <FormActions submitLabel="Save" pending={pending} onCancel={onDone} />
      </Stack>
    </form>
  );
}

"use client";

import { useRef, type ComponentType } from "react";
import { useRouter } from "next/navigation";
import { Button, FileButton, Group, Stack, Text, Textarea, TextInput } from "@mantine/core";
import { useForm, type FormValidateInput } from "@mantine/form";
import { IconFileImport, IconPlus } from "@tabler/icons-react";
import { EditButton } from "@/components/ui/edit-modal";
import { FormActions, ModalButton } from "@/components/ui/modal-button";
import { notifyError, notifySuccess } from "@/components/ui/notify";

interface Saved {
  id: number;
  name: string;
}
interface Mutation<I> {
  mutateAsync: (input: I) => Promise<Saved>;
  isPending: boolean;
}

export interface TemplateFormProps<T, I> {
  initial?: T;
  submitLabel: string;
  pending: boolean;
  onSubmit: (input: I) => Promise<unknown>;
  onCancel: () => void;
}

/** A kind of template (VM or service) as its create, edit and import dialogs need it. */
export interface TemplateKind<T extends Saved, I> {
  /** "VM template", as in "Create VM template" */
  label: string;
  /** the list's path, e.g. "/vm-templates" */
  basePath: string;
  Form: ComponentType<TemplateFormProps<T, I>>;
  useCreate: () => Mutation<I>;
  useUpdate: () => Mutation<{ id: number; input: I }>;
  import: {
    hint: string;
    /** the import asks for a name (else the text names the template) */
    withName: boolean;
    textLabel: string;
    accept: string;
    fileLabel: string;
    /** the API's rules for the import form's own fields ("name") */
    validate?: FormValidateInput<{ name: string; text: string }>;
    /** the create body for the text; throws (with the reason) when the text cannot be one */
    toInput: (text: string, name: string) => I;
    /** the server's field errors, as the import form's fields ("name", "text") */
    fieldErrors: (err: unknown) => Record<string, string>;
  };
}

const capitalized = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

export function CreateTemplateButton<T extends Saved, I>({ kind }: { kind: TemplateKind<T, I> }) {
  const create = kind.useCreate();
  const router = useRouter();
  return (
    <ModalButton
      label={`Create ${kind.label}`}
      icon={<IconPlus size={16} aria-hidden />}
      title={`Create ${kind.label}`}
      size="xl"
    >
      {(close) => (
        <kind.Form
          submitLabel="Create"
          pending={create.isPending}
          onCancel={close}
          onSubmit={(input) =>
            create.mutateAsync(input).then((t) => {
              notifySuccess(`${capitalized(kind.label)} ${t.name} created`);
              close();
              router.push(`${kind.basePath}/${t.id}`);
            })
          }
        />
      )}
    </ModalButton>
  );
}

export function EditTemplateButton<T extends Saved, I>({
  kind,
  template,
  disabled,
}: {
  kind: TemplateKind<T, I>;
  template: T;
  disabled?: boolean;
}) {
  const update = kind.useUpdate();
  return (
    <EditButton kind={kind.label} name={template.name} disabled={disabled} size="xl">
      {(close) => (
        <kind.Form
          initial={template}
          submitLabel="Save"
          pending={update.isPending}
          onCancel={close}
          onSubmit={(input) =>
            update.mutateAsync({ id: template.id, input }).then((t) => {
              notifySuccess(`${capitalized(kind.label)} ${t.name} saved`);
              close();
            })
          }
        />
      )}
    </EditButton>
  );
}

/** Create from text a file holds (an export of this portal or of OpenNebula), pasted or read from the file. */
export function ImportTemplateButton<T extends Saved, I>({ kind }: { kind: TemplateKind<T, I> }) {
  return (
    <ModalButton
      label="Import"
      icon={<IconFileImport size={16} aria-hidden />}
      variant="default"
      title={`Import ${kind.label}`}
      size="xl"
    >
      {(close) => <ImportForm kind={kind} onDone={close} />}
    </ModalButton>
  );
}

function ImportForm<T extends Saved, I>({ kind, onDone }: { kind: TemplateKind<T, I>; onDone: () => void }) {
  const create = kind.useCreate();
  const router = useRouter();
  const resetRef = useRef<() => void>(null);
  const form = useForm({ initialValues: { name: "", text: "" }, validate: kind.import.validate });
  const pick = async (file: File | null) => {
    if (!file) return;
    form.setFieldValue("text", await file.text());
    resetRef.current?.();
  };
  const submit = form.onSubmit((v) => {
    let input: I;
    try {
      input = kind.import.toInput(v.text, v.name.trim());
    } catch (err) {
      form.setFieldError("text", (err as Error).message);
      return;
    }
    return create.mutateAsync(input).then(
      (t) => {
        notifySuccess(`${capitalized(kind.label)} ${t.name} imported`);
        onDone();
        router.push(`${kind.basePath}/${t.id}`);
      },
      (err) => {
        form.setErrors(kind.import.fieldErrors(err));
        notifyError(err);
      },
    );
  });
  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <Text size="sm" c="dimmed">
          {kind.import.hint}
        </Text>
        {kind.import.withName ? (
          <TextInput label="Name" placeholder="NAME from the text" autoComplete="off" {...form.getInputProps("name")} />
        ) : null}
        <Textarea
          label={kind.import.textLabel}
          autosize
          minRows={10}
          maxRows={28}
          styles={{ input: { fontFamily: "var(--mantine-font-family-monospace)" }, error: { whiteSpace: "pre-line" } }}
          {...form.getInputProps("text")}
        />
        <Group justify="space-between">
          <FileButton onChange={pick} accept={kind.import.accept} resetRef={resetRef}>
            {(props) => (
              <Button variant="default" {...props}>
                {kind.import.fileLabel}
              </Button>
            )}
          </FileButton>
          <FormActions submitLabel="Import" pending={create.isPending} onCancel={onDone} />
        </Group>
      </Stack>
    </form>
  );
}

"use client";

import { useRouter } from "next/navigation";
import { Button, Modal, Stack, TextInput } from "@mantine/core";
import { useForm } from "@mantine/form";
import { useDisclosure } from "@mantine/hooks";
import { IconCopy, IconDownload } from "@tabler/icons-react";
import { FormActions } from "@/components/ui/modal-button";
import { notifyError, notifySuccess } from "@/components/ui/notify";
import { schemaValidate } from "@/components/ui/schema-validate";
import { cloneTemplateBody } from "@/lib/templates/template-schemas";

/** Saves text as a file in the browser (the template's export: <name>.tpl or <name>.json). */
export function ExportButton({ filename, text, type }: { filename: string; text: string; type: string }) {
  const download = () => {
    const url = URL.createObjectURL(new Blob([text], { type }));
    const a = document.createElement("a");
    a.href = url;
    a.download = filename;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };
  return (
    <Button variant="default" leftSection={<IconDownload size={16} aria-hidden />} onClick={download}>
      Export
    </Button>
  );
}

interface CloneButtonProps {
  /** "VM template" or "Service template" */
  kind: string;
  name: string;
  disabledReason?: string;
  clone: (name: string) => Promise<{ id: number; name: string }>;
  /** where the copy lives, e.g. "/vm-templates" */
  basePath: string;
}

/** Clone under a new name, then open the copy. */
export function CloneButton({ kind, name, disabledReason, clone, basePath }: CloneButtonProps) {
  const [opened, { open, close }] = useDisclosure(false);
  const router = useRouter();
  const form = useForm({
    initialValues: { name: `${name}-copy` },
    validate: schemaValidate(cloneTemplateBody),
  });
  const submit = form.onSubmit((v) =>
    clone(v.name.trim()).then(
      (copy) => {
        notifySuccess(`${kind} ${copy.name} created`);
        close();
        router.push(`${basePath}/${copy.id}`);
      },
      (err) => notifyError(err, form),
    ),
  );
  return (
    <>
      <Button
        variant="default"
        leftSection={<IconCopy size={16} aria-hidden />}
        onClick={open}
        disabled={!!disabledReason}
        title={disabledReason}
      >
        Clone
      </Button>
      <Modal opened={opened} onClose={close} title={`Clone ${kind.toLowerCase()} ${name}`}>
        <form onSubmit={submit} noValidate>
          <Stack>
            <TextInput label="Name of the copy" data-autofocus autoComplete="off" {...form.getInputProps("name")} />
            <FormActions submitLabel="Clone" pending={form.submitting} onCancel={close} />
          </Stack>
        </form>
      </Modal>
    </>
  );
}

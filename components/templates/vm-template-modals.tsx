"use client";

import { useRef } from "react";
import { useRouter } from "next/navigation";
import { Button, FileButton, Group, Modal, Stack, Text, Textarea, TextInput } from "@mantine/core";
import { useForm } from "@mantine/form";
import { useDisclosure } from "@mantine/hooks";
import { IconEdit, IconFileImport, IconPlus } from "@tabler/icons-react";
import { notifyError, notifySuccess } from "@/components/ui/notify";
import type { VmTemplateDto } from "./api";
import { useCreateVmTemplate, useUpdateVmTemplate } from "./queries";
import { templateFieldErrors } from "./template-errors";
import { VmTemplateForm } from "./vm-template-form";

export function CreateVmTemplateButton() {
  const [opened, { open, close }] = useDisclosure(false);
  const create = useCreateVmTemplate();
  const router = useRouter();
  return (
    <>
      <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={open}>
        Create VM template
      </Button>
      <Modal opened={opened} onClose={close} title="Create VM template" size="xl">
        <VmTemplateForm
          submitLabel="Create"
          pending={create.isPending}
          onCancel={close}
          onSubmit={(input) =>
            create.mutateAsync(input).then((t) => {
              notifySuccess(`VM template ${t.name} created`);
              close();
              router.push(`/vm-templates/${t.id}`);
            })
          }
        />
      </Modal>
    </>
  );
}

export function EditVmTemplateButton({ template, disabled }: { template: VmTemplateDto; disabled?: boolean }) {
  const [opened, { open, close }] = useDisclosure(false);
  const update = useUpdateVmTemplate();
  return (
    <>
      <Button variant="default" leftSection={<IconEdit size={16} aria-hidden />} onClick={open} disabled={disabled}>
        Edit
      </Button>
      <Modal opened={opened} onClose={close} title={`Edit VM template ${template.name}`} size="xl">
        <VmTemplateForm
          initial={template}
          submitLabel="Save"
          pending={update.isPending}
          onCancel={close}
          onSubmit={(input) =>
            update.mutateAsync({ id: template.id, patch: input }).then((t) => {
              notifySuccess(`VM template ${t.name} saved`);
              close();
            })
          }
        />
      </Modal>
    </>
  );
}

/** Create from OpenNebula text: pasted, or read from a .tpl file (`onetemplate show -x` is not text). */
export function ImportVmTemplateButton() {
  const [opened, { open, close }] = useDisclosure(false);
  return (
    <>
      <Button variant="default" leftSection={<IconFileImport size={16} aria-hidden />} onClick={open}>
        Import
      </Button>
      <Modal opened={opened} onClose={close} title="Import VM template" size="xl">
        <ImportForm onDone={close} />
      </Modal>
    </>
  );
}

function ImportForm({ onDone }: { onDone: () => void }) {
  const create = useCreateVmTemplate();
  const router = useRouter();
  const resetRef = useRef<() => void>(null);
  const form = useForm({ initialValues: { name: "", text: "" } });
  const pick = async (file: File | null) => {
    if (!file) return;
    form.setFieldValue("text", await file.text());
    resetRef.current?.();
  };
  const submit = form.onSubmit((v) =>
    create.mutateAsync({ ...(v.name.trim() ? { name: v.name.trim() } : {}), template: v.text }).then(
      (t) => {
        notifySuccess(`VM template ${t.name} imported`);
        onDone();
        router.push(`/vm-templates/${t.id}`);
      },
      (err) => {
        form.setErrors(templateFieldErrors(err, true));
        notifyError(err);
      },
    ),
  );
  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <Text size="sm" c="dimmed">
          Paste OpenNebula template text or choose a .tpl file. NAME in the text names the template unless you give a
          name here; disks may name their image by IMAGE (and IMAGE_UNAME) or IMAGE_ID.
        </Text>
        <TextInput label="Name" placeholder="NAME from the text" autoComplete="off" {...form.getInputProps("name")} />
        <Textarea
          label="Template text"
          autosize
          minRows={10}
          maxRows={28}
          styles={{ input: { fontFamily: "var(--mantine-font-family-monospace)" }, error: { whiteSpace: "pre-line" } }}
          {...form.getInputProps("text")}
        />
        <Group justify="space-between">
          <FileButton onChange={pick} accept=".tpl,.txt,text/plain" resetRef={resetRef}>
            {(props) => (
              <Button variant="default" {...props}>
                Choose a .tpl file
              </Button>
            )}
          </FileButton>
          <Group>
            <Button variant="default" onClick={onDone}>
              Cancel
            </Button>
            <Button type="submit" loading={create.isPending}>
              Import
            </Button>
          </Group>
        </Group>
      </Stack>
    </form>
  );
}

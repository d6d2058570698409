"use client";

import { useRef } from "react";
import { useRouter } from "next/navigation";
import { Button, FileButton, Group, Modal, Stack, Text, Textarea } from "@mantine/core";
import { useForm } from "@mantine/form";
import { useDisclosure } from "@mantine/hooks";
import { IconEdit, IconFileImport, IconPlus } from "@tabler/icons-react";
import { notifyError, notifySuccess } from "@/components/ui/notify";
import type { CreateServiceTemplateInput, ServiceTemplateDto } from "./api";
import { useCreateServiceTemplate, useUpdateServiceTemplate } from "./queries";
import { ServiceTemplateForm } from "./service-template-form";

export function CreateServiceTemplateButton() {
  const [opened, { open, close }] = useDisclosure(false);
  const create = useCreateServiceTemplate();
  const router = useRouter();
  return (
    <>
      <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={open}>
        Create service template
      </Button>
      <Modal opened={opened} onClose={close} title="Create service template" size="xl">
        <ServiceTemplateForm
          submitLabel="Create"
          pending={create.isPending}
          onCancel={close}
          onSubmit={(body) =>
            create.mutateAsync(body).then((s) => {
              notifySuccess(`Service template ${s.name} created`);
              close();
              router.push(`/service-templates/${s.id}`);
            })
          }
        />
      </Modal>
    </>
  );
}

export function EditServiceTemplateButton({
  template,
  disabled,
}: {
  template: ServiceTemplateDto;
  disabled?: boolean;
}) {
  const [opened, { open, close }] = useDisclosure(false);
  const update = useUpdateServiceTemplate();
  return (
    <>
      <Button variant="default" leftSection={<IconEdit size={16} aria-hidden />} onClick={open} disabled={disabled}>
        Edit
      </Button>
      <Modal opened={opened} onClose={close} title={`Edit service template ${template.name}`} size="xl">
        <ServiceTemplateForm
          initial={template}
          submitLabel="Save"
          pending={update.isPending}
          onCancel={close}
          onSubmit={(body) =>
            update.mutateAsync({ id: template.id, patch: { body } }).then((s) => {
              notifySuccess(`Service template ${s.name} saved`);
              close();
            })
          }
        />
      </Modal>
    </>
  );
}

/** Create from a OneFlow JSON document, pasted or read from a .json file. */
export function ImportServiceTemplateButton() {
  const [opened, { open, close }] = useDisclosure(false);
  return (
    <>
      <Button variant="default" leftSection={<IconFileImport size={16} aria-hidden />} onClick={open}>
        Import
      </Button>
      <Modal opened={opened} onClose={close} title="Import service template" size="xl">
        <ImportForm onDone={close} />
      </Modal>
    </>
  );
}

function ImportForm({ onDone }: { onDone: () => void }) {
  const create = useCreateServiceTemplate();
  const router = useRouter();
  const resetRef = useRef<() => void>(null);
  const form = useForm({ initialValues: { json: "" } });
  const pick = async (file: File | null) => {
    if (!file) return;
    form.setFieldValue("json", await file.text());
    resetRef.current?.();
  };
  const submit = form.onSubmit((v) => {
    let body: CreateServiceTemplateInput;
    try {
      body = JSON.parse(v.json);
    } catch (err) {
      form.setFieldError("json", `not valid JSON: ${(err as Error).message}`);
      return;
    }
    return create.mutateAsync(body).then(
      (s) => {
        notifySuccess(`Service template ${s.name} imported`);
        onDone();
        router.push(`/service-templates/${s.id}`);
      },
      (err) => {
        // the document's fields are not form fields: list them under the text
        const reasons = err?.invalidParams?.map((p: { name: string; reason: string }) => `${p.name}: ${p.reason}`);
        if (reasons?.length) form.setFieldError("json", reasons.join("\n"));
        notifyError(err);
      },
    );
  });
  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <Text size="sm" c="dimmed">
          A OneFlow service template document: name, deployment, roles with name, cardinality, vm_template (the id of a
          VM template of this zone) and parents.
        </Text>
        <Textarea
          label="OneFlow JSON"
          autosize
          minRows={10}
          maxRows={28}
          styles={{ input: { fontFamily: "var(--mantine-font-family-monospace)" }, error: { whiteSpace: "pre-line" } }}
          {...form.getInputProps("json")}
        />
        <Group justify="space-between">
          <FileButton onChange={pick} accept=".json,application/json" resetRef={resetRef}>
            {(props) => (
              <Button variant="default" {...props}>
                Choose a .json file
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

"use client";

import { useState } from "react";
import {
  ActionIcon,
  Button,
  Checkbox,
  Fieldset,
  Group,
  NativeSelect,
  SimpleGrid,
  Stack,
  Tabs,
  Text,
  Textarea,
  TextInput,
} from "@mantine/core";
import { useForm, type UseFormReturnType } from "@mantine/form";
import { IconPlus, IconTrash } from "@tabler/icons-react";
import { useImages } from "@/components/images/queries";
import { FormActions } from "@/components/ui/modal-button";
import { notifyError } from "@/components/ui/notify";
import { schemaValidate } from "@/components/ui/schema-validate";
import { TemplateSyntaxError } from "@/lib/templates/template-text";
import {
  emptySpec,
  specToTemplate,
  templateToSpec,
  type DiskSpec,
  type NicSpec,
  type Pairs,
  type VmTemplateSpec,
} from "@/lib/templates/vm-template-spec";
import { vmTemplateFields } from "@/lib/templates/template-schemas";
import { templateFieldErrors } from "./template-errors";

/** A disk row as the form edits it: both kinds' fields, so switching kind keeps what was typed. */
interface DiskRow {
  kind: "image" | "volatile";
  imageId: string;
  devPrefix: string;
  size: string;
  type: "fs" | "swap";
  extra: Pairs;
}
interface FormSpec extends Omit<VmTemplateSpec, "disks" | "nics"> {
  disks: DiskRow[];
  nics: { mode: "auto" | "network"; network: string; extra: Pairs }[];
}
export interface VmTemplateFormValues {
  name: string;
  description: string;
  spec: FormSpec;
  text: string;
}

const toRow = (d: DiskSpec): DiskRow =>
  d.kind === "image"
    ? { ...d, type: "fs" }
    : { kind: "volatile", imageId: "", devPrefix: "", size: d.size, type: d.type, extra: d.extra };
const fromRow = (d: DiskRow): DiskSpec =>
  d.kind === "image"
    ? { kind: "image", imageId: d.imageId, devPrefix: d.devPrefix, size: d.size, extra: d.extra }
    : { kind: "volatile", type: d.type, size: d.size, extra: d.extra };
const toNic = (n: NicSpec) => ({ mode: n.mode, network: n.mode === "network" ? n.network : "", extra: n.extra });
const fromNic = (n: FormSpec["nics"][number]): NicSpec =>
  n.mode === "auto" ? { mode: "auto", extra: n.extra } : { mode: "network", network: n.network, extra: n.extra };

export const toFormSpec = (s: VmTemplateSpec): FormSpec => ({
  ...s,
  disks: s.disks.map(toRow),
  nics: s.nics.map(toNic),
});
const fromFormSpec = (s: FormSpec): VmTemplateSpec => ({
  ...s,
  disks: s.disks.map(fromRow),
  nics: s.nics.map(fromNic),
});

export function initialValues(initial?: { name: string; description: string; template: string }): VmTemplateFormValues {
  let spec = emptySpec();
  if (initial) {
    try {
      spec = templateToSpec(initial.template);
    } catch {
      // the server checked it; should it not parse, the text tab still shows it
    }
  }
  return {
    name: initial?.name ?? "",
    description: initial?.description ?? "",
    spec: toFormSpec(spec),
    text: initial?.template ?? specToTemplate(spec),
  };
}

type Form = UseFormReturnType<VmTemplateFormValues>;

interface VmTemplateFormProps {
  initial?: { name: string; description: string; template: string };
  submitLabel: string;
  pending: boolean;
  onSubmit: (input: { name: string; description: string; template: string }) => Promise<unknown>;
  onCancel: () => void;
}

/** The VM template editor: structured fields, or the raw OpenNebula text in a second tab. */
export function VmTemplateForm({ initial, submitLabel, pending, onSubmit, onCancel }: VmTemplateFormProps) {
  const [tab, setTab] = useState<"form" | "text">("form");
  const form = useForm<VmTemplateFormValues>({
    initialValues: initialValues(initial),
    validate: schemaValidate(vmTemplateFields.pick({ name: true, description: true })),
  });

  /** The text the server gets, or null after marking the field that does not parse. */
  const currentText = (mode = tab): string | null => {
    if (mode === "text") return form.getValues().text;
    try {
      return specToTemplate(fromFormSpec(form.getValues().spec));
    } catch (err) {
      form.setFieldError("spec.extra", err instanceof Error ? err.message : String(err));
      return null;
    }
  };

  const switchTab = (next: string | null) => {
    if (next !== "form" && next !== "text") return;
    if (next === tab) return;
    if (next === "text") {
      const text = currentText("form");
      if (text === null) return;
      form.setFieldValue("text", text);
    } else {
      try {
        form.setFieldValue("spec", toFormSpec(templateToSpec(form.getValues().text)));
      } catch (err) {
        form.setFieldError("text", err instanceof TemplateSyntaxError ? err.message : String(err));
        return;
      }
    }
    form.clearErrors();
    setTab(next);
  };

  const submit = form.onSubmit((v) => {
    const template = currentText();
    if (template === null) return;
    return onSubmit({ name: v.name.trim(), description: v.description, template }).catch((err) => {
      form.setErrors(templateFieldErrors(err, tab === "text"));
      notifyError(err);
    });
  });

  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput label="Name" data-autofocus autoComplete="off" {...form.getInputProps("name")} />
          <TextInput label="Description" autoComplete="off" {...form.getInputProps("description")} />
        </SimpleGrid>
        <Tabs value={tab} onChange={switchTab} keepMounted={false}>
          <Tabs.List>
            <Tabs.Tab value="form">Form</Tabs.Tab>
            <Tabs.Tab value="text">Template text</Tabs.Tab>
          </Tabs.List>
          <Tabs.Panel value="form" pt="md">
            <SpecFields form={form} />
          </Tabs.Panel>
          <Tabs.Panel value="text" pt="md">
            <Textarea
              label="OpenNebula template"
              description='One attribute a line, e.g. CPU = "1", DISK = [ IMAGE_ID = "3" ]; NAME is the name above'
              autosize
              minRows={12}
              maxRows={28}
              styles={{
                input: { fontFamily: "var(--mantine-font-family-monospace)" },
                error: { whiteSpace: "pre-line" },
              }}
              {...form.getInputProps("text")}
            />
          </Tabs.Panel>
        </Tabs>
        <FormActions submitLabel={submitLabel} pending={pending} onCancel={onCancel} />
      </Stack>
    </form>
  );
}

const ARCHES = ["x86_64", "aarch64", "i686", "ppc64le", "s390x"];
const HYPERVISORS = ["kvm", "lxc", "qemu", "vcenter", "firecracker"];
/** A value not in the list (from an import) is offered too, so the select shows what the template has. */
const withValue = (options: string[], value: string) =>
  value && !options.includes(value) ? [value, ...options] : options;

function SpecFields({ form }: { form: Form }) {
  const spec = form.getValues().spec;
  return (
    <Stack gap="md">
      <SimpleGrid cols={{ base: 2, sm: 5 }}>
        <TextInput label="CPU" inputMode="decimal" {...form.getInputProps("spec.cpu")} />
        <TextInput label="VCPU" inputMode="numeric" placeholder="as CPU" {...form.getInputProps("spec.vcpu")} />
        <TextInput label="Memory (MB)" inputMode="numeric" {...form.getInputProps("spec.memoryMb")} />
        <NativeSelect
          label="Architecture"
          data={[{ value: "", label: "—" }, ...withValue(ARCHES, spec.arch)]}
          {...form.getInputProps("spec.arch")}
        />
        <NativeSelect
          label="Hypervisor"
          data={[{ value: "", label: "—" }, ...withValue(HYPERVISORS, spec.hypervisor)]}
          {...form.getInputProps("spec.hypervisor")}
        />
      </SimpleGrid>
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <Group grow align="flex-start">
          <NativeSelect
            label="Graphics"
            data={[
              { value: "", label: "None" },
              { value: "VNC", label: "VNC" },
              { value: "SPICE", label: "SPICE" },
            ]}
            {...form.getInputProps("spec.graphics.type")}
          />
          <TextInput
            label="Listen address"
            disabled={!spec.graphics.type}
            {...form.getInputProps("spec.graphics.listen")}
          />
        </Group>
        <Stack gap={6}>
          <Checkbox
            mt={28}
            label="Context: configure the network"
            {...form.getInputProps("spec.context.network", { type: "checkbox" })}
          />
        </Stack>
      </SimpleGrid>
      <Textarea
        label="SSH public key"
        autosize
        minRows={1}
        placeholder="ssh-ed25519 AAAA… or $USER[SSH_PUBLIC_KEY]"
        {...form.getInputProps("spec.context.sshPublicKey")}
      />
      <DisksFields form={form} />
      <NicsFields form={form} />
      <Textarea
        label="Other attributes"
        description="Template text of every other attribute; kept as written"
        autosize
        minRows={2}
        styles={{ input: { fontFamily: "var(--mantine-font-family-monospace)" } }}
        {...form.getInputProps("spec.extra")}
      />
    </Stack>
  );
}

const IMAGES = { page: 1, perPage: 200, sort: "name", order: "asc" } as const;

function DisksFields({ form }: { form: Form }) {
  const images = useImages(IMAGES).data?.items ?? [];
  const disks = form.getValues().spec.disks;
  const options = (current: string) => [
    { value: "", label: "Choose an image…" },
    ...(current && !images.some((i) => String(i.id) === current)
      ? [{ value: current, label: `image ${current}` }]
      : []),
    ...images.map((i) => ({ value: String(i.id), label: `${i.name} (#${i.id}, ${i.type})` })),
  ];
  const add = (kind: DiskRow["kind"]) =>
    form.insertListItem("spec.disks", {
      kind,
      imageId: "",
      devPrefix: "",
      size: kind === "volatile" ? "1024" : "",
      type: "fs",
      extra: {},
    });
  return (
    <Fieldset legend="Disks">
      <Stack gap="sm">
        {disks.length === 0 ? (
          <Text size="sm" c="dimmed">
            No disks.
          </Text>
        ) : null}
        {disks.map((d, i) => (
          <Group key={i} align="flex-start" wrap="nowrap" gap="sm">
            {d.kind === "image" ? (
              <>
                <NativeSelect
                  label={`Disk ${i} image`}
                  style={{ flex: 2 }}
                  data={options(d.imageId)}
                  {...form.getInputProps(`spec.disks.${i}.imageId`)}
                />
                <TextInput
                  label={`Disk ${i} device prefix`}
                  placeholder="vd, sd, hd"
                  style={{ flex: 1 }}
                  {...form.getInputProps(`spec.disks.${i}.devPrefix`)}
                />
              </>
            ) : (
              <NativeSelect
                label={`Disk ${i} volatile type`}
                style={{ flex: 3 }}
                data={[
                  { value: "fs", label: "File system (fs)" },
                  { value: "swap", label: "Swap" },
                ]}
                {...form.getInputProps(`spec.disks.${i}.type`)}
              />
            )}
            <TextInput
              label={`Disk ${i} size (MB)`}
              inputMode="numeric"
              placeholder={d.kind === "image" ? "image's size" : ""}
              style={{ flex: 1 }}
              {...form.getInputProps(`spec.disks.${i}.size`)}
            />
            <ActionIcon
              mt={26}
              variant="subtle"
              color="red"
              aria-label={`Remove disk ${i}`}
              onClick={() => form.removeListItem("spec.disks", i)}
            >
              <IconTrash size={16} aria-hidden />
            </ActionIcon>
          </Group>
        ))}
        <Group gap="xs">
          <Button
            size="xs"
            variant="light"
            leftSection={<IconPlus size={14} aria-hidden />}
            onClick={() => add("image")}
          >
            Add image disk
          </Button>
          <Button
            size="xs"
            variant="light"
            leftSection={<IconPlus size={14} aria-hidden />}
            onClick={() => add("volatile")}
          >
            Add volatile disk
          </Button>
        </Group>
      </Stack>
    </Fieldset>
  );
}

function NicsFields({ form }: { form: Form }) {
  const nics = form.getValues().spec.nics;
  return (
    <Fieldset legend="Network interfaces">
      <Stack gap="sm">
        {nics.length === 0 ? (
          <Text size="sm" c="dimmed">
            No network interfaces.
          </Text>
        ) : null}
        {nics.map((n, i) => (
          <Group key={i} align="flex-start" wrap="nowrap" gap="sm">
            <NativeSelect
              label={`NIC ${i} mode`}
              style={{ flex: 1 }}
              data={[
                { value: "auto", label: "Automatic (scheduler picks)" },
                { value: "network", label: "A named network" },
              ]}
              {...form.getInputProps(`spec.nics.${i}.mode`)}
            />
            <TextInput
              label={`NIC ${i} network`}
              style={{ flex: 1 }}
              disabled={n.mode === "auto"}
              placeholder={n.extra.NETWORK_ID ? `network id ${n.extra.NETWORK_ID}` : "network name"}
              {...form.getInputProps(`spec.nics.${i}.network`)}
            />
            <ActionIcon
              mt={26}
              variant="subtle"
              color="red"
              aria-label={`Remove NIC ${i}`}
              onClick={() => form.removeListItem("spec.nics", i)}
            >
              <IconTrash size={16} aria-hidden />
            </ActionIcon>
          </Group>
        ))}
        <Group>
          <Button
            size="xs"
            variant="light"
            leftSection={<IconPlus size={14} aria-hidden />}
            onClick={() => form.insertListItem("spec.nics", { mode: "auto", network: "", extra: {} })}
          >
            Add NIC
          </Button>
        </Group>
      </Stack>
    </Fieldset>
  );
}

"use client";

import {
  ActionIcon,
  Alert,
  Button,
  Fieldset,
  Group,
  MultiSelect,
  NativeSelect,
  NumberInput,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
} from "@mantine/core";
import { useForm } from "@mantine/form";
import { z } from "zod";
import { IconPlus, IconTrash } from "@tabler/icons-react";
import { ApiError } from "@/components/api/client";
import { FormActions } from "@/components/ui/modal-button";
import { notifyError } from "@/components/ui/notify";
import { schemaValidate } from "@/components/ui/schema-validate";
import { serviceTemplateBody } from "@/lib/templates/service-template-body";
import type { CreateServiceTemplateInput, ServiceTemplateDto } from "./api";
import { useAllVmTemplates } from "./queries";

interface RoleRow {
  name: string;
  cardinality: number | string;
  vm_template: string;
  parents: string[];
  /** the role's other OneFlow keys (min_vms, elasticity_policies…), kept as they were */
  extra: Record<string, unknown>;
}
interface ServiceFormValues {
  name: string;
  description: string;
  deployment: "straight" | "none";
  roles: RoleRow[];
}

const newRole = (i: number): RoleRow => ({ name: `role${i}`, cardinality: 1, vm_template: "", parents: [], extra: {} });

function initialValues(initial?: ServiceTemplateDto): ServiceFormValues {
  if (!initial) return { name: "", description: "", deployment: "straight", roles: [newRole(1)] };
  const stored = (initial.body.roles ?? []) as Record<string, unknown>[];
  return {
    name: initial.name,
    description: initial.description,
    deployment: initial.deployment,
    roles: initial.roles.map((r, i) => {
      const { name: _n, cardinality: _c, vm_template: _v, parents: _p, ...extra } = stored[i] ?? {};
      return {
        name: r.name,
        cardinality: r.cardinality,
        vm_template: String(r.vmTemplateId),
        parents: r.parents,
        extra,
      };
    }),
  };
}

/** The OneFlow document for the form's values; the template's other keys are kept. */
function toBody(v: ServiceFormValues, initial?: ServiceTemplateDto): CreateServiceTemplateInput {
  const { roles: _roles, ...rest } = (initial?.body ?? {}) as Record<string, unknown>;
  return {
    ...rest,
    name: v.name.trim(),
    description: v.description,
    deployment: v.deployment,
    roles: v.roles.map((r) => ({
      ...r.extra,
      name: r.name.trim(),
      cardinality: Number(r.cardinality),
      vm_template: Number(r.vm_template),
      ...(r.parents.length ? { parents: r.parents } : {}),
    })),
  };
}

interface ServiceTemplateFormProps {
  initial?: ServiceTemplateDto;
  submitLabel: string;
  pending: boolean;
  onSubmit: (body: CreateServiceTemplateInput) => Promise<unknown>;
  onCancel: () => void;
}

/** Name, deployment and the roles editor (VM template, cardinality, parents). */
export function ServiceTemplateForm({ initial, submitLabel, pending, onSubmit, onCancel }: ServiceTemplateFormProps) {
  const vmTemplates = useAllVmTemplates();
  const form = useForm<ServiceFormValues>({
    initialValues: initialValues(initial),
    // the API's rules, duplicate roles and cycles of parents included, for the document it will get
    validate: schemaValidate(z.preprocess((v) => toBody(v as ServiceFormValues, initial), serviceTemplateBody)),
  });
  const { roles } = form.getValues();
  const submit = form.onSubmit((v) =>
    onSubmit(toBody(v, initial)).catch((err) => {
      // an update sends the document as `body`: its fields are the form's own
      if (err instanceof ApiError)
        form.setErrors(Object.fromEntries(err.invalidParams.map((p) => [p.name.replace(/^body\./, ""), p.reason])));
      notifyError(err);
    }),
  );
  const templateOptions = (current: string) => [
    { value: "", label: "Choose a VM template…" },
    ...(current && !vmTemplates.some((t) => String(t.id) === current)
      ? [{ value: current, label: `VM template ${current}` }]
      : []),
    ...vmTemplates.map((t) => ({ value: String(t.id), label: `${t.name} (#${t.id})` })),
  ];
  const removeRole = (i: number) => {
    const gone = roles[i].name;
    form.removeListItem("roles", i);
    // no role may keep waiting for a role that is no longer there
    form.getValues().roles.forEach((r, j) => {
      if (r.parents.includes(gone))
        form.setFieldValue(
          `roles.${j}.parents`,
          r.parents.filter((p) => p !== gone),
        );
    });
  };

  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <TextInput label="Name" data-autofocus autoComplete="off" {...form.getInputProps("name")} />
          <TextInput label="Description" autoComplete="off" {...form.getInputProps("description")} />
          <NativeSelect
            label="Deployment"
            description="straight: parents are deployed first"
            data={[
              { value: "straight", label: "straight" },
              { value: "none", label: "none (all at once)" },
            ]}
            {...form.getInputProps("deployment")}
          />
        </SimpleGrid>
        <Fieldset legend="Roles">
          <Stack gap="sm">
            {form.errors.roles ? (
              <Alert color="red" role="alert" p="xs">
                {form.errors.roles}
              </Alert>
            ) : null}
            {roles.map((r, i) => (
              <Group key={i} align="flex-start" wrap="nowrap" gap="sm">
                <TextInput
                  label={`Role ${i + 1} name`}
                  style={{ flex: 1 }}
                  autoComplete="off"
                  {...form.getInputProps(`roles.${i}.name`)}
                />
                <NativeSelect
                  label={`Role ${i + 1} VM template`}
                  style={{ flex: 2 }}
                  data={templateOptions(r.vm_template)}
                  {...form.getInputProps(`roles.${i}.vm_template`)}
                />
                <NumberInput
                  label={`Role ${i + 1} cardinality`}
                  min={0}
                  allowDecimal={false}
                  w={140}
                  {...form.getInputProps(`roles.${i}.cardinality`)}
                />
                <MultiSelect
                  label={`Role ${i + 1} parents`}
                  style={{ flex: 2 }}
                  placeholder={r.parents.length ? undefined : "none"}
                  data={[
                    ...new Set([...roles.filter((_, j) => j !== i).map((o) => o.name.trim()), ...r.parents]),
                  ].filter(Boolean)}
                  {...form.getInputProps(`roles.${i}.parents`)}
                />
                <ActionIcon
                  mt={26}
                  variant="subtle"
                  color="red"
                  aria-label={`Remove role ${i + 1}`}
                  disabled={roles.length === 1}
                  onClick={() => removeRole(i)}
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
                onClick={() => form.insertListItem("roles", newRole(roles.length + 1))}
                disabled={roles.length >= 32}
              >
                Add role
              </Button>
              {vmTemplates.length === 0 ? (
                <Text size="sm" c="dimmed">
                  Create a VM template first: each role runs one.
                </Text>
              ) : null}
            </Group>
          </Stack>
        </Fieldset>
        <FormActions submitLabel={submitLabel} pending={pending} onCancel={onCancel} />
      </Stack>
    </form>
  );
}

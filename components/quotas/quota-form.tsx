"use client";

import { ActionIcon, Button, Fieldset, Group, NativeSelect, NumberInput, Select, Stack, Text } from "@mantine/core";
import { useForm } from "@mantine/form";
import { randomId } from "@mantine/hooks";
import { IconPlus, IconTrash } from "@tabler/icons-react";
import { useAllDatastores } from "@/components/datastores/queries";
import { FormActions } from "@/components/ui/modal-button";
import { notifyError, notifySuccess } from "@/components/ui/notify";
import type { QuotaOwner, QuotasDto } from "./api";
import { useSetQuotas } from "./queries";
import { formValuesOf, quotaFormValidate, SIZE_UNITS, toQuotasInput, type QuotaFormValues } from "./quota-units";

const UNIT_OPTIONS = Object.keys(SIZE_UNITS);

const limitProps = { min: 0, allowDecimal: false, allowNegative: false, placeholder: "unlimited" } as const;

/** Datastores to pick from: this zone's, and any another quota already names. */
function useDatastoreOptions(quotas: QuotasDto) {
  const options = useAllDatastores().map((d) => ({ value: String(d.id), label: d.name }));
  const named = quotas.datastores.flatMap((d) => (d.datastore ? [d.datastore] : []));
  for (const d of named)
    if (!options.some((o) => o.value === String(d.id))) options.push({ value: String(d.id), label: d.name });
  return options;
}

/**
 * An admin's quota editor: the transfers limit, the all-datastores row, a row per datastore.
 * Empty fields are no limit; saving replaces every quota of the user or group.
 */
export function QuotaForm({
  owner,
  name,
  quotas,
  onDone,
}: {
  owner: QuotaOwner;
  name: string;
  quotas: QuotasDto;
  onDone: () => void;
}) {
  const save = useSetQuotas(owner);
  const datastoreOptions = useDatastoreOptions(quotas);
  const initial = formValuesOf(quotas);
  const form = useForm<QuotaFormValues>({
    initialValues: { ...initial, datastores: initial.datastores.map((d) => ({ ...d, key: randomId() })) },
    validate: quotaFormValidate,
  });
  const picked = new Set(form.values.datastores.map((d) => d.datastoreId));

  const submit = form.onSubmit((v) =>
    save.mutate(toQuotasInput(v), {
      onSuccess: () => {
        notifySuccess(`Quotas of ${name} saved`);
        onDone();
      },
      onError: (err) => notifyError(err, form),
    }),
  );

  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <Text size="sm" c="dimmed">
          Empty fields are unlimited. A limit below what is used now takes nothing away; it stops new imports and
          uploads until usage is below it.
        </Text>
        <NumberInput
          label="Max transfers at once"
          description="Imports, uploads, publishes and copies under way together"
          maw={260}
          {...limitProps}
          {...form.getInputProps("maxTransfers")}
        />
        {form.values.datastores.map((row, i) => (
          <Fieldset
            key={row.key}
            legend={row.datastoreId === null ? "All datastores" : "Datastore quota"}
            variant="filled"
          >
            <Group align="flex-start" gap="sm">
              {row.datastoreId === null ? null : (
                <Select
                  label="Datastore"
                  placeholder="Choose a datastore"
                  data={datastoreOptions.map((o) => ({
                    ...o,
                    disabled: o.value !== row.datastoreId && picked.has(o.value),
                  }))}
                  searchable
                  allowDeselect={false}
                  w={200}
                  {...form.getInputProps(`datastores.${i}.datastoreId`)}
                />
              )}
              <NumberInput
                label="Max size"
                w={120}
                {...limitProps}
                allowDecimal
                {...form.getInputProps(`datastores.${i}.maxBytes`)}
              />
              <NativeSelect label="Unit" data={UNIT_OPTIONS} w={90} {...form.getInputProps(`datastores.${i}.unit`)} />
              <NumberInput
                label="Max images"
                w={120}
                {...limitProps}
                {...form.getInputProps(`datastores.${i}.maxImages`)}
              />
              {row.datastoreId === null ? null : (
                <ActionIcon
                  variant="subtle"
                  color="red"
                  mt={28}
                  aria-label={`Remove the quota of ${datastoreOptions.find((o) => o.value === row.datastoreId)?.label ?? "this datastore"}`}
                  onClick={() => form.removeListItem("datastores", i)}
                >
                  <IconTrash size={16} aria-hidden />
                </ActionIcon>
              )}
            </Group>
          </Fieldset>
        ))}
        <Group>
          <Button
            variant="default"
            leftSection={<IconPlus size={16} aria-hidden />}
            onClick={() =>
              form.insertListItem("datastores", {
                key: randomId(),
                datastoreId: "",
                maxBytes: "",
                unit: "GiB",
                maxImages: "",
              })
            }
          >
            Add a datastore
          </Button>
        </Group>
        <FormActions submitLabel="Save quotas" pending={save.isPending} onCancel={onDone} />
      </Stack>
    </form>
  );
}

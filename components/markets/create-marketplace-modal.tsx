"use client";

import { useState, type FormEvent } from "react";
import { Alert, Button, Group, Radio, Stack, Stepper, Text, Textarea, TextInput } from "@mantine/core";
import { useForm } from "@mantine/form";
import { IconPlugConnected, IconPlus } from "@tabler/icons-react";
import { ApiError } from "@/components/api/client";
import { useSession } from "@/components/auth/session-context";
import { formatBytes } from "@/components/transfer/format";
import { InfoList } from "@/components/ui/info-list";
import { ModalButton } from "@/components/ui/modal-button";
import { notifyError, notifySuccess } from "@/components/ui/notify";
import type { MarketplaceDto } from "./api";
import { DriverFields, type MarketForm } from "./driver-fields";
import {
  adminOnlyDriver,
  ATTRIBUTE_LABELS,
  DRIVER_DESCRIPTIONS,
  DRIVER_KEYS,
  DRIVER_OPTIONS,
  driverBody,
  formatAttribute,
  isPublicDriver,
  marketErrorTarget,
  marketFieldErrors,
  marketFormValidate,
  marketFormValues,
  withDriver,
  type MarketFormValues,
} from "./market-drivers";
import { useCheckMarketplace, useCreateMarketplace } from "./queries";

/** Everyone with the MARKETPLACE create right (admins always) may create one. */
export function useCanCreateMarketplace(): boolean {
  const { isAdmin, createRights } = useSession().user;
  return isAdmin || createRights.includes("MARKETPLACE");
}

export function CreateMarketplaceButton() {
  return (
    <ModalButton
      label="Create marketplace"
      icon={<IconPlus size={16} aria-hidden />}
      title="Create marketplace"
      size="xl"
    >
      {(close) => <CreateMarketplaceWizard onDone={close} />}
    </ModalButton>
  );
}

/** Fields of the first step; any other field error (config.*, secrets.*, driver) belongs to the second. */
const GENERAL_FIELDS = ["name", "description"];
const STEP_TITLES = ["General", "Configuration", "Review"];

/** The fields a step validates before the next one. */
function stepFields(step: number, v: MarketFormValues): string[] {
  if (step === 0) return ["name"];
  if (step === 1)
    return [
      ...DRIVER_KEYS[v.driver].config.map((k) => `config.${k}`),
      ...DRIVER_KEYS[v.driver].secrets.map((k) => `secrets.${k}`),
    ];
  return [];
}

/** General (name, driver) → the driver's attributes with "Test connection" → review and create. */
function CreateMarketplaceWizard({ onDone }: { onDone: () => void }) {
  const { isAdmin } = useSession().user;
  const [step, setStep] = useState(0);
  const create = useCreateMarketplace();
  const check = useCheckMarketplace();
  const form = useForm<MarketFormValues>({
    initialValues: { ...marketFormValues(), driver: isAdmin ? "http" : "s3" },
    validate: marketFormValidate({ secretRequired: true }),
    // a test result is only true of the attributes it tested
    onValuesChange: (v, previous) => {
      if (v.driver !== previous.driver || v.config !== previous.config || v.secrets !== previous.secrets) check.reset();
    },
  });

  const next = () => {
    const invalid = stepFields(step, form.values).filter((path) => form.validateField(path).hasError);
    if (invalid.length === 0) setStep((s) => s + 1);
  };

  /** Field errors go under their fields, on the step that holds the first of them. */
  const showStepOf = (field: string | undefined) => {
    if (field) setStep(GENERAL_FIELDS.includes(field) ? 0 : 1);
  };

  const createMarketplace = form.onSubmit(
    (v) =>
      create.mutate(
        { name: v.name.trim(), description: v.description, ...driverBody(v) },
        {
          onSuccess: (saved: MarketplaceDto) => {
            notifySuccess(`Marketplace ${saved.name} created`);
            onDone();
          },
          onError: (err) => {
            notifyError(err, marketErrorTarget(form));
            if (err instanceof ApiError) showStepOf(err.invalidParams[0]?.name);
          },
        },
      ),
    (errors) => showStepOf(Object.keys(errors)[0]),
  );

  // Enter and "Next" move one step on (checking that step's fields); the last step creates
  const submit = (e: FormEvent<HTMLFormElement>) => {
    if (step === STEP_TITLES.length - 1) return createMarketplace(e);
    e.preventDefault();
    next();
  };

  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <Stepper active={step} onStepClick={setStep} allowNextStepsSelect={false} size="sm">
          <Stepper.Step label={STEP_TITLES[0]} description="Name and driver">
            <GeneralStep form={form} />
          </Stepper.Step>
          <Stepper.Step label={STEP_TITLES[1]} description="Driver attributes">
            <Stack>
              <DriverFields form={form} />
              <TestConnection form={form} check={check} />
            </Stack>
          </Stepper.Step>
          <Stepper.Step label={STEP_TITLES[2]} description="Check, then save">
            <Review values={form.values} />
          </Stepper.Step>
        </Stepper>
        <Group justify="space-between">
          <Button variant="default" onClick={onDone}>
            Cancel
          </Button>
          <Group gap="xs">
            {step > 0 ? (
              <Button variant="default" onClick={() => setStep((s) => s - 1)}>
                Back
              </Button>
            ) : null}
            {step < STEP_TITLES.length - 1 ? (
              <Button type="submit">Next</Button>
            ) : (
              <Button type="submit" loading={create.isPending}>
                Create
              </Button>
            )}
          </Group>
        </Group>
      </Stack>
    </form>
  );
}

function GeneralStep({ form }: { form: MarketForm }) {
  const { isAdmin } = useSession().user;
  return (
    <Stack>
      <TextInput label="Name" data-autofocus autoComplete="off" {...form.getInputProps("name")} />
      <Textarea label="Description" autosize minRows={2} {...form.getInputProps("description")} />
      <Radio.Group
        label="Driver"
        {...form.getInputProps("driver")}
        // s3 and the public catalogs share the endpoint field, each with its own default
        onChange={(driver) => form.setValues(withDriver(form.values, driver as MarketFormValues["driver"]))}
      >
        <Stack gap="xs" mt="xs">
          {DRIVER_OPTIONS.map((d) => {
            // http writes to a directory of this server and a catalog's endpoint is trusted like a
            // mirror: the server lets only admins create either
            const refused = adminOnlyDriver(d.value) && !isAdmin;
            return (
              <Radio
                key={d.value}
                value={d.value}
                label={d.label}
                disabled={refused}
                description={`${DRIVER_DESCRIPTIONS[d.value]}${refused ? " Only administrators create these." : ""}`}
              />
            );
          })}
        </Stack>
      </Radio.Group>
    </Stack>
  );
}

/**
 * Tries the attributes without saving them: free space on success (a public catalog has none:
 * that it answered), the field at fault on failure.
 */
function TestConnection({ form, check }: { form: MarketForm; check: ReturnType<typeof useCheckMarketplace> }) {
  const test = () => {
    const invalid = stepFields(1, form.values).filter((path) => form.validateField(path).hasError);
    if (invalid.length > 0) return;
    check.mutate(driverBody(form.values), {
      onError: (err) => {
        if (err instanceof ApiError) form.setErrors(marketFieldErrors(err.fieldErrors()));
      },
    });
  };
  return (
    <Stack gap="xs">
      <Group>
        <Button
          variant="light"
          leftSection={<IconPlugConnected size={16} aria-hidden />}
          loading={check.isPending}
          onClick={test}
        >
          Test connection
        </Button>
      </Group>
      {check.isSuccess ? (
        <Alert color="green" title="Connection works" role="status">
          {check.data.capacity
            ? `${formatBytes(check.data.capacity.freeBytes)} free of ${formatBytes(check.data.capacity.totalBytes)}.`
            : "Catalog reachable. Its apps are read when the marketplace is monitored."}
        </Alert>
      ) : null}
      {check.isError ? (
        <Alert color="red" title="Connection failed" role="alert">
          {check.error.message}
        </Alert>
      ) : null}
    </Stack>
  );
}

function Review({ values: v }: { values: MarketFormValues }) {
  const { zone } = useSession();
  const keys = DRIVER_KEYS[v.driver];
  return (
    <Stack gap="xs">
      <Text size="sm">
        Marketplace <b>{v.name.trim()}</b> will be created in zone {zone.name}, enabled, after the server has checked
        its backend. Every zone will see it;{" "}
        {isPublicDriver(v.driver)
          ? "this one reads its apps from the catalog when monitoring it. Nobody can publish to it."
          : "only this one can publish apps to it."}
      </Text>
      <InfoList
        label="New marketplace"
        items={[
          { label: "Name", value: v.name.trim() },
          { label: "Driver", value: DRIVER_OPTIONS.find((d) => d.value === v.driver)?.label },
          { label: "Description", value: v.description },
          ...keys.config.map((key) => ({
            label: ATTRIBUTE_LABELS[key],
            value:
              key === "baseUrl" && !v.config.baseUrl.trim()
                ? "Served by this portal at /market/<id>/"
                : formatAttribute(v.config[key]),
          })),
          ...keys.secrets.map((key) => ({ label: ATTRIBUTE_LABELS[key], value: v.secrets[key] ? "set" : "not set" })),
        ]}
      />
    </Stack>
  );
}

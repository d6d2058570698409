"use client";

import { Group, Paper, Radio, Select, Stack, Text, Title } from "@mantine/core";
import type { UseFormReturnType } from "@mantine/form";
import { refName } from "@/components/permissions/object-ref";
import { formatBytes } from "@/components/transfer/format";
import type { AppDto } from "./api";
import {
  groupError,
  type ChoiceMode,
  type DiskChoice,
  type DiskSlot,
  type PublishFormValues,
  type RoleChoice,
  type RoleSlot,
} from "./publish-body";
import { useReusableApps } from "./queries";

type PublishForm = UseFormReturnType<PublishFormValues>;

interface ReuseSelectProps {
  form: PublishForm;
  /** the choice's path, e.g. `roles.0.disks.1` */
  path: string;
  label: string;
  type: "IMAGE" | "VMTEMPLATE";
  /** the image or VM template the part comes from: apps published from it are offered first */
  originId: number | null;
}

const fromOrigin = (app: AppDto, type: ReuseSelectProps["type"], originId: number | null) =>
  originId !== null && (type === "IMAGE" ? app.originImageId : app.originTemplateId) === originId;

/** A READY app of the chosen marketplace to stand for the part instead of publishing it again. */
function ReuseSelect({ form, path, label, type, originId }: ReuseSelectProps) {
  const marketplaceId = form.values.marketplaceId;
  const apps = useReusableApps(type, marketplaceId);
  const items = [...(apps.data?.items ?? [])].sort(
    (a, b) => Number(fromOrigin(b, type, originId)) - Number(fromOrigin(a, type, originId)),
  );
  const origin = type === "IMAGE" ? "this image" : "this VM template";
  const data = items.map((a) => ({
    value: String(a.id),
    label: [
      `${a.name} (v${a.version}${a.sizeBytes ? `, ${formatBytes(a.sizeBytes)}` : ""})`,
      fromOrigin(a, type, originId) ? ` — from ${origin}` : "",
    ].join(""),
  }));
  const placeholder = !marketplaceId
    ? "Choose a marketplace first"
    : apps.isPending
      ? "Loading…"
      : apps.isError
        ? `Could not list apps: ${apps.error.message}`
        : data.length
          ? "Choose an app"
          : "No ready app of this kind in the marketplace";
  return (
    <Select
      label={label}
      placeholder={placeholder}
      data={data}
      searchable
      nothingFoundMessage="No app matches"
      disabled={!marketplaceId}
      {...form.getInputProps(`${path}.appId`)}
    />
  );
}

interface ModeProps {
  form: PublishForm;
  path: string;
  label: string;
  publishLabel: string;
  value: ChoiceMode;
  /** publishing is impossible (a role without a readable VM template) */
  publishDisabled?: boolean;
}

function ModeChoice({ form, path, label, publishLabel, value, publishDisabled }: ModeProps) {
  return (
    <Radio.Group
      label={label}
      value={value}
      onChange={(v) => form.setFieldValue(`${path}.mode`, v as ChoiceMode)}
      error={groupError(form.errors, path)}
    >
      <Group gap="md" mt={6}>
        <Radio value="publish" label={publishLabel} disabled={publishDisabled} />
        <Radio value="reuse" label="Reuse an existing app" />
      </Group>
    </Radio.Group>
  );
}

/** One choice per image disk: publish its image as a new app, or reuse an IMAGE app. */
function DiskChoices({
  form,
  prefix,
  slots,
  choices,
  selectPrefix = "",
}: {
  form: PublishForm;
  /** `disks` or `roles.0.disks` */
  prefix: string;
  slots: DiskSlot[];
  choices: DiskChoice[];
  /** makes the app selects' labels unique across roles */
  selectPrefix?: string;
}) {
  if (!slots.length)
    return (
      <Text size="sm" c="dimmed">
        No disk with an image: only the template is published.
      </Text>
    );
  return (
    <Stack gap="sm">
      {slots.map((slot, i) => {
        const choice = choices[i];
        if (!choice) return null;
        const path = `${prefix}.${i}`;
        return (
          <Stack key={path} gap={6}>
            <ModeChoice
              form={form}
              path={path}
              label={`${slot.slot} — ${slot.imageName}`}
              publishLabel="Publish this image"
              value={choice.mode}
              publishDisabled={!!slot.problem}
            />
            {slot.problem ? (
              <Text size="sm" c="dimmed">
                {slot.problem}
              </Text>
            ) : null}
            {choice.mode === "reuse" ? (
              <ReuseSelect
                form={form}
                path={path}
                label={`App for ${selectPrefix}${slot.slot}`}
                type="IMAGE"
                originId={slot.imageId}
              />
            ) : null}
          </Stack>
        );
      })}
    </Stack>
  );
}

export function VmTemplateChoices({ form, disks }: { form: PublishForm; disks: DiskSlot[] }) {
  return (
    <Stack gap="xs">
      <Title order={5}>Disks</Title>
      {groupError(form.errors, "disks") ? (
        <Text size="sm" c="red">
          {groupError(form.errors, "disks")}
        </Text>
      ) : null}
      <DiskChoices form={form} prefix="disks" slots={disks} choices={form.values.disks} />
    </Stack>
  );
}

function RoleChoiceCard({
  form,
  index,
  role,
  choice,
}: {
  form: PublishForm;
  index: number;
  role: RoleSlot;
  choice: RoleChoice;
}) {
  const path = `roles.${index}`;
  return (
    <Paper withBorder p="sm" component="section" aria-label={`Role ${role.name}`}>
      <Stack gap="sm">
        <ModeChoice
          form={form}
          path={path}
          label={`Role ${role.name}`}
          publishLabel={`Publish VM template ${role.vmTemplate ? refName(role.vmTemplate) : "—"}`}
          value={choice.mode}
          publishDisabled={!!role.problem}
        />
        {role.problem ? (
          <Text size="sm" c="dimmed">
            {role.problem}
          </Text>
        ) : null}
        {choice.mode === "reuse" ? (
          <ReuseSelect
            form={form}
            path={path}
            label={`App for role ${role.name}`}
            type="VMTEMPLATE"
            originId={role.vmTemplate?.id ?? null}
          />
        ) : (
          <Stack gap="sm" pl="md">
            <DiskChoices
              form={form}
              prefix={`${path}.disks`}
              slots={role.disks}
              choices={choice.disks}
              selectPrefix={`${role.name} `}
            />
          </Stack>
        )}
      </Stack>
    </Paper>
  );
}

/** One choice per role: publish its VM template (with per-disk choices), or reuse a VM template app. */
export function ServiceTemplateChoices({ form, roles }: { form: PublishForm; roles: RoleSlot[] }) {
  const error = groupError(form.errors, "roles");
  return (
    <Stack gap="xs">
      <Title order={5}>Roles</Title>
      {error ? (
        <Text size="sm" c="red">
          {error}
        </Text>
      ) : null}
      {roles.map((role, i) => {
        const choice = form.values.roles[i];
        return choice ? <RoleChoiceCard key={role.name} form={form} index={i} role={role} choice={choice} /> : null;
      })}
    </Stack>
  );
}

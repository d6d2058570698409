"use client";

import { Button, Group, MultiSelect, Stack, Text } from "@mantine/core";
import { useForm } from "@mantine/form";
import { z } from "zod";
import { useGroupOptions } from "@/components/groups/queries";
import { formSaveCallbacks } from "@/components/ui/save-form";
import { schemaValidate, selectedList } from "@/components/ui/schema-validate";
import { vdcFields } from "@/lib/vdcs/vdc-schemas";
import type { VdcDto } from "./api";
import { useUpdateVdc } from "./queries";
import { GroupBadges } from "./vdcs-list";

const valuesOf = (vdc: VdcDto) => ({ groupIds: vdc.groups.map((g) => String(g.id)) });

/** The groups whose members use the VDC's resources: a picker for admins, badges for others. */
export function VdcGroupsTab({ vdc, canEdit }: { vdc: VdcDto; canEdit: boolean }) {
  if (!canEdit)
    return vdc.groups.length ? (
      <GroupBadges groups={vdc.groups} />
    ) : (
      <Text size="sm" c="dimmed">
        No groups
      </Text>
    );
  return <VdcGroupsForm vdc={vdc} />;
}

function VdcGroupsForm({ vdc }: { vdc: VdcDto }) {
  const loaded = useGroupOptions();
  // the VDC's own groups are choices even before the list of groups has loaded
  const groupOptions = [
    ...loaded,
    ...vdc.groups
      .filter((g) => !loaded.some((o) => o.value === String(g.id)))
      .map((g) => ({ value: String(g.id), label: g.name })),
  ];
  const update = useUpdateVdc();
  const form = useForm({
    initialValues: valuesOf(vdc),
    validate: schemaValidate(z.object({ groupIds: selectedList(vdcFields.shape.groupIds) })),
  });

  const submit = form.onSubmit((v) =>
    update.mutate(
      { id: vdc.id, patch: { groupIds: v.groupIds.map(Number) } },
      formSaveCallbacks(form, valuesOf, () => `Groups of ${vdc.name} saved`),
    ),
  );

  return (
    <form onSubmit={submit} noValidate>
      <Stack maw={520}>
        <MultiSelect
          label="Groups"
          description="Members of these groups may use the VDC's resources"
          data={groupOptions}
          searchable
          clearable
          nothingFoundMessage="No group matches"
          {...form.getInputProps("groupIds")}
        />
        <Group>
          <Button type="submit" loading={update.isPending} disabled={!form.isDirty()}>
            Save groups
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
